package io.shopflow.relay;

import io.shopflow.relay.RelaySettings.Mode;

/** The acceptance suite with Debezium CDC. */
class CdcRelayTest extends RelayAcceptanceSuite {

    @Override
    Mode mode() {
        return Mode.CDC;
    }
}
