/// The `/v1` API, routing, quotas, audit, admin API.
public enum GatewayModule {}
