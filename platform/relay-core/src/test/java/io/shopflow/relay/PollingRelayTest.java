package io.shopflow.relay;

import io.shopflow.relay.RelaySettings.Mode;

/** The acceptance suite with {@code FOR UPDATE SKIP LOCKED} polling. */
class PollingRelayTest extends RelayAcceptanceSuite {

    @Override
    Mode mode() {
        return Mode.POLLING;
    }
}
