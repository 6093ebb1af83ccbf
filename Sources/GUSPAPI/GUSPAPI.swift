// The types and the server protocol of this module are generated at build time from
// `openapi.yaml` (a symlink to the contract at the repository root) by the
// swift-openapi-generator plugin. Nothing else lives here.
