/// Tenants, session tokens, key ring, encryption at rest.
///
/// Not built yet (issue 4). Nothing in this module is used by the running server today.
public enum AuthModule {}
