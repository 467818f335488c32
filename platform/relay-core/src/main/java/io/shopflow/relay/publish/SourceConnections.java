package io.shopflow.relay.publish;

import io.shopflow.relay.RelaySettings.Source;
import org.postgresql.ds.PGSimpleDataSource;
import org.postgresql.jdbc.PreferQueryMode;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Opens plain JDBC connections to a source. A data source object rather than {@code DriverManager},
 * whose class-loader checks do not see the driver in every runtime (the Quarkus runner among them).
 */
public final class SourceConnections {

    private SourceConnections() {
    }

    public static Connection open(Source source) throws SQLException {
        return dataSource(source).getConnection();
    }

    /** A connection in logical replication mode ({@code replication=database}) to the source's database. */
    public static Connection openReplication(Source source) throws SQLException {
        PGSimpleDataSource dataSource = dataSource(source);
        dataSource.setReplication("database");
        // Replication connections speak the simple query protocol only.
        dataSource.setPreferQueryMode(PreferQueryMode.SIMPLE);
        dataSource.setAssumeMinServerVersion("14");
        return dataSource.getConnection();
    }

    private static PGSimpleDataSource dataSource(Source source) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(source.jdbcUrl());
        dataSource.setUser(source.username());
        dataSource.setPassword(source.password());
        dataSource.setApplicationName("shopflow-relay-" + source.name());
        return dataSource;
    }
}
