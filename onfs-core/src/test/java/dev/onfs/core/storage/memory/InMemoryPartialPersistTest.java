package dev.onfs.core.storage.memory;

import dev.onfs.core.storage.OnlineStore;
import dev.onfs.core.storage.testing.PartialPersistContractTest;

class InMemoryPartialPersistTest extends PartialPersistContractTest {
  @Override
  protected OnlineStore createStore() {
    return InMemoryStore.create();
  }
}
