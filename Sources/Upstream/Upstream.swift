/// The typed Weavr Multi API client.
///
/// Not built yet (issue 3). Nothing in this module is used by the running server today.
public enum UpstreamModule {}
