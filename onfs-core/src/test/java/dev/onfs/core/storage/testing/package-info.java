/**
 * The contract suite every {@link dev.onfs.core.storage.OnlineStore} adapter runs, published in
 * onfs-core's test-jar: subclass {@link dev.onfs.core.storage.testing.OnlineStoreContractTest} (and
 * implement {@link dev.onfs.core.storage.testing.StoreFaultContract} when the test controls a real
 * server), plus deterministic test blocks and a controllable clock.
 */
@NullMarked
package dev.onfs.core.storage.testing;

import org.jspecify.annotations.NullMarked;
