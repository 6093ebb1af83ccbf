#!/usr/bin/env python3
"""A real SMTP server for GUSPMail's tests (aiosmtpd), listening on 127.0.0.1 only.

Prints `PORT <n>` as its first stdout line once listening. Every accepted message is stored in --dir as
<id>.eml (the DATA payload, un-dot-stuffed), <id>.json (envelope: sender, recipients, MAIL options, TLS, AUTH)
and <id>.parsed.json (what Python's `email` parser sees: decoded headers, parts, defects), each written to a
temporary file and renamed, the .eml last, so a reader that sees the .eml sees the other two.

Recipient rules: a local part starting with `bounce` gets 550, one starting with `later` gets 451.
Exits on SIGTERM or SIGINT.
"""
import argparse
import asyncio
import email
import email.header
import email.policy
import itertools
import json
import os
import signal
import ssl
import sys
import time

try:
    from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword
except ImportError:
    print("smtp-sink: the Python package aiosmtpd is missing (pip install aiosmtpd)", file=sys.stderr)
    sys.exit(3)


def write_atomically(path, data):
    temporary = f"{path}.tmp"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def text_or_none(value):
    return None if value is None else str(value)


def parse_message(raw):
    """What a real mail parser makes of the message: the check the Swift tests rely on."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        parts.append({
            "content_type": part.get_content_type(),
            "charset": part.get_content_charset(),
            "transfer_encoding": part.get("Content-Transfer-Encoding"),
            "text": part.get_content(),
        })
    legacy = email.message_from_bytes(raw)
    return {
        # RFC 2047 §6.2 decoding by the legacy API: white space between adjacent encoded-words is dropped
        # (the modern parser above keeps it inside display names).
        "decoded": {
            name.lower(): str(email.header.make_header(email.header.decode_header(legacy[name])))
            for name in ("From", "To", "Subject") if legacy[name] is not None
        },
        "subject": text_or_none(message["Subject"]),
        "from": text_or_none(message["From"]),
        "to": text_or_none(message["To"]),
        "header_names": list(message.keys()),
        "headers": [[name, str(value)] for name, value in message.items()],
        "content_type": message.get_content_type(),
        "parts": parts,
        "defects": [repr(defect) for defect in message.defects]
        + [repr(defect) for part in message.walk() for defect in part.defects],
    }


class Handler:
    def __init__(self, directory):
        self.directory = directory
        self.counter = itertools.count(1)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local_part = address.split("@", 1)[0].lower()
        if local_part.startswith("bounce"):
            return "550 5.1.1 no such user"
        if local_part.startswith("later"):
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content
        name = os.path.join(self.directory, f"{time.time_ns()}-{next(self.counter):04d}")
        envelope_info = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "mail_options": envelope.mail_options,
            "tls": session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None,
            "auth": session.auth_data if session.authenticated else None,
            "helo": session.host_name,
        }
        write_atomically(f"{name}.json", json.dumps(envelope_info, indent=2).encode())
        write_atomically(f"{name}.parsed.json", json.dumps(parse_message(raw), indent=2).encode())
        write_atomically(f"{name}.eml", raw)
        return "250 2.0.0 Message accepted for delivery"


def make_authenticator(credentials):
    user, _, password = credentials.partition(":")

    def authenticate(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=f"{mechanism}:{user}")
        return AuthResult(success=False, handled=False)

    return authenticate


def tls_context(arguments):
    if not arguments.tls_cert:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(arguments.tls_cert, arguments.tls_key)
    return context


async def serve(arguments):
    context = tls_context(arguments)
    if (arguments.implicit_tls or arguments.require_tls) and context is None:
        sys.exit("smtp-sink: --implicit-tls and --require-tls need --tls-cert and --tls-key")
    options = {
        "hostname": "sink.localhost",
        "data_size_limit": arguments.size_limit,
        # aiosmtpd counts only STARTTLS as TLS: with implicit TLS the connection is already encrypted.
        "auth_require_tls": not (arguments.implicit_tls or arguments.auth_allow_plaintext),
        "require_starttls": arguments.require_tls,
        "tls_context": None if arguments.implicit_tls else context,
    }
    if arguments.auth:
        options["authenticator"] = make_authenticator(arguments.auth)
        options["auth_required"] = True
        if arguments.auth_mechanisms:
            allowed = {name.upper() for name in arguments.auth_mechanisms.split(",")}
            options["auth_exclude_mechanism"] = {"PLAIN", "LOGIN"} - allowed
    handler = Handler(arguments.dir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, **options),
        host="127.0.0.1",
        port=arguments.port,
        ssl=context if arguments.implicit_tls else None,
    )
    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    # A parent may start us with signals blocked (threads of a test runner do): unblock the ones we stop on.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    for signal_number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signal_number, stop.set)
    await stop.wait()
    server.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 picks a free one")
    parser.add_argument("--dir", required=True, help="folder that receives the messages")
    parser.add_argument("--tls-cert", help="PEM certificate: offers STARTTLS (or implicit TLS)")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--require-tls", action="store_true", help="refuse mail before STARTTLS")
    parser.add_argument("--implicit-tls", action="store_true", help="TLS from the first byte (smtps)")
    parser.add_argument("--auth", metavar="USER:PASSWORD", help="require AUTH with these credentials")
    parser.add_argument("--auth-mechanisms", help="comma-separated subset of PLAIN,LOGIN to offer")
    parser.add_argument("--auth-allow-plaintext", action="store_true", help="offer AUTH without TLS")
    parser.add_argument("--size-limit", type=int, default=33554432, help="SIZE limit advertised and enforced")
    arguments = parser.parse_args()
    os.makedirs(arguments.dir, exist_ok=True)
    asyncio.run(serve(arguments))


if __name__ == "__main__":
    main()
