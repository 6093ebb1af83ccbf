# gusp — multi-stage build of the release binary.
#
#   docker build -t gusp .
#   docker run --rm -p 8080:8080 -v gusp-data:/data gusp
#
# The SQLite database lives in the /data volume (./gusp.sqlite relative to the working
# directory /data). Set GUSP_DATABASE_URL=postgres://... at run time to use PostgreSQL.

# ---------------------------------------------------------------------------------------
# Build stage
# ---------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
WORKDIR /build

# Dependencies first, so that this layer stays cached while only sources change.
# Package.resolved is git-ignored; the wildcard copies it when present and does not
# fail when it is absent.
COPY Package.swift Package.resolved* ./
RUN swift package resolve

# Then the whole context (minus .dockerignore), so that the symlink
# Sources/GUSPAPI/openapi.yaml -> ../../openapi.yaml still resolves inside the image.
COPY . .
RUN test -f Sources/GUSPAPI/openapi.yaml

# --static-swift-stdlib links the Swift runtime and Foundation statically; what remains
# dynamic is glibc, libstdc++ and libgcc_s. sqlite-nio and swift-crypto bundle SQLite and
# BoringSSL, so neither libsqlite3 nor libssl is needed at run time.
RUN swift build -c release --product gusp --static-swift-stdlib \
 && bin="$(swift build -c release --product gusp --static-swift-stdlib --show-bin-path)" \
 && mkdir -p /staging \
 && cp "$bin/gusp" /staging/ \
 && find -L "$bin/" -maxdepth 1 -name '*.resources' -exec cp -R {} /staging/ \;

# ---------------------------------------------------------------------------------------
# Runtime stage
# ---------------------------------------------------------------------------------------
FROM debian:bookworm-slim

# ca-certificates: outgoing TLS (e.g. PostgreSQL with sslmode); tzdata: time zones;
# libstdc++6 (pulls libgcc-s1): the only shared libraries besides glibc that a
# --static-swift-stdlib binary needs (already in bookworm-slim; listed to be explicit).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates tzdata libstdc++6 \
 && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 gusp \
 && useradd --system --uid 10001 --gid gusp --home-dir /data --no-create-home \
        --shell /usr/sbin/nologin gusp \
 && mkdir -p /data \
 && chown gusp:gusp /data

COPY --from=build /staging/ /usr/local/bin/

# GUSP_DATABASE_URL is deliberately unset: the default is SQLite at ./gusp.sqlite, i.e.
# /data/gusp.sqlite given the working directory below.
ENV GUSP_DATA_DIR=/data

WORKDIR /data
VOLUME ["/data"]
USER gusp:gusp

EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/gusp"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
