package dev.onfs.server.cli.consume;

/**
 * The store/registry selection of the server. Until the persist service, registry loading and the
 * store adapters are wired into the server, no backend can be opened from the command line.
 */
enum DefaultBackends implements ConsumeBackends {
  INSTANCE;

  @Override
  public Opened open(ConsumeConfig config) {
    throw new IllegalArgumentException(
        "store '" + config.get(ConsumeConfig.Option.STORE) + "' with registry '"
            + config.get(ConsumeConfig.Option.REGISTRY) + "' is not available in this build");
  }
}
