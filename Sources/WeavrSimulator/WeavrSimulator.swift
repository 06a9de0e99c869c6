/// A stateful Weavr Multi API simulator for the demo and tests.
///
/// Not built yet (issue 3). Nothing in this module is used by the running server today.
public enum WeavrSimulatorModule {}
