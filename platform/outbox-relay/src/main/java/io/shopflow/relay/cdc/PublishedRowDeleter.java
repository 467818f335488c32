package io.shopflow.relay.cdc;

import io.shopflow.relay.RelaySettings.Source;
import io.shopflow.relay.publish.SourceConnections;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Deletes outbox rows that Kafka acknowledged, before their offsets are marked processed. The
 * deletes do not come back through the slot (the publication is insert-only); they keep the table
 * small, keep a later snapshot to unpublished rows, and make the lag gauge (oldest row present)
 * mean "oldest unpublished row". Deleting before the offset moves means a crash leaves no
 * published row behind that the restarted relay would never see again.
 *
 * <p>A failed delete is logged and retried with the next batch: the rows were published, so the
 * worst case is a duplicate from a later snapshot, never a loss. Used by one thread.
 */
final class PublishedRowDeleter implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PublishedRowDeleter.class);

    private final Source source;
    private final List<UUID> pending = new ArrayList<>();
    private Connection connection;

    PublishedRowDeleter(Source source) {
        this.source = source;
    }

    void delete(List<UUID> ids) {
        pending.addAll(ids);
        if (pending.isEmpty()) {
            return;
        }
        try {
            if (connection == null || connection.isClosed()) {
                connection = SourceConnections.open(source);
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM outbox WHERE id = ANY (?)")) {
                delete.setArray(1, connection.createArrayOf("uuid", pending.toArray()));
                delete.executeUpdate();
            }
            pending.clear();
        } catch (SQLException e) {
            LOG.warnf("Could not delete %d published outbox rows of source %s; retrying with the next batch: %s",
                    pending.size(), source.name(), e.getMessage());
            close();
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debugf("Closing the delete connection of %s: %s", source.name(), e.getMessage());
            }
            connection = null;
        }
    }
}
