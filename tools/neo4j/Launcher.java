// Local Neo4j Community server for mineralkg (no Docker).
//
// Starts an embedded DatabaseManagementService with a Bolt connector on
// 127.0.0.1:PORT, authentication disabled, a small page cache and a default
// transaction timeout. Prints exactly one line to stdout,
//
//     NEO4J READY bolt://127.0.0.1:PORT
//
// once the default database is available and the Bolt port accepts
// connections, then blocks until the JVM is told to stop (SIGTERM/SIGINT),
// when a shutdown hook shuts the service down cleanly. Everything else
// Neo4j prints goes to stderr; its log files go to HOME_DIR/logs, and
// LOAD CSV file:/// URLs are confined to HOME_DIR/import.
//
// Run as a single source file (JEP 330), no compile step:
//
//     java -cp 'var/neo4j/lib/*' tools/neo4j/Launcher.java HOME_DIR PORT
//
// tools/neo4j/neo4j.sh and tests/support/neo4j_server.py wrap this.

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.io.ByteUnit;

public class Launcher {
    private static final String HOST = "127.0.0.1";
    // NEO4J_PAGECACHE_MB: the store's pages held in memory; 64 MB suits the test data, a
    // load of 100k nodes and 500k relationships wants a few hundred.
    private static final long PAGE_CACHE_BYTES = ByteUnit.mebiBytes(envLong("NEO4J_PAGECACHE_MB", 64));
    private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(60);
    // NEO4J_TX_MEMORY_MB: the most heap one transaction may hold (db.memory.transaction.max);
    // past it the query fails with MemoryPoolOutOfMemoryError instead of the JVM running out
    // of heap and exiting (one list comprehension did that with no limit). A load of 100k
    // nodes and 500k relationships in one transaction wants more: raise it (0: no limit).
    private static final long TRANSACTION_MEMORY_BYTES = ByteUnit.mebiBytes(envLong("NEO4J_TX_MEMORY_MB", 256));
    private static final long AVAILABLE_TIMEOUT_MS = 120_000;
    // Bolt waits 5 s + 5 s by default for its threads and open connections on
    // shutdown; 1 s each is plenty for a local dev/test server.
    private static final Duration BOLT_SHUTDOWN_WAIT = Duration.ofSeconds(1);

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: java -cp 'LIB/*' Launcher.java HOME_DIR PORT");
            System.exit(2);
        }
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        int port;
        try {
            port = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            System.err.println("PORT must be an integer, got: " + args[1]);
            System.exit(2);
            return;
        }
        Files.createDirectories(home.resolve("import"));

        // Keep stdout for the single READY line; anything Neo4j or its
        // libraries print to stdout goes to stderr instead.
        PrintStream ready = System.out;
        System.setOut(System.err);

        // The hook is registered before the build so that a SIGTERM during
        // start-up still shuts down whatever has been started.
        AtomicReference<DatabaseManagementService> started = new AtomicReference<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                DatabaseManagementService s = started.getAndSet(null);
                if (s != null) {
                    s.shutdown();
                }
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "neo4j-shutdown"));

        DatabaseManagementService service;
        try {
            service = build(home, port);
        } catch (Throwable t) {
            // e.g. the port is taken; make sure no lingering thread keeps the JVM up.
            t.printStackTrace();
            System.exit(1);
            return;
        }
        started.set(service);

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(AVAILABLE_TIMEOUT_MS)) {
            System.err.println("database '" + db.databaseName() + "' did not become available");
            System.exit(1);
        }
        waitForPort(port, AVAILABLE_TIMEOUT_MS);

        ready.println("NEO4J READY bolt://" + HOST + ":" + port);
        ready.flush();

        stopped.await(); // released by the shutdown hook
    }

    private static DatabaseManagementService build(Path home, int port) {
        return new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.advertised_address, new SocketAddress(HOST, port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, BOLT_SHUTDOWN_WAIT)
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, BOLT_SHUTDOWN_WAIT)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(HttpsConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, PAGE_CACHE_BYTES)
                .setConfig(GraphDatabaseSettings.transaction_timeout, TRANSACTION_TIMEOUT)
                .setConfig(GraphDatabaseSettings.memory_transaction_max_size, TRANSACTION_MEMORY_BYTES)
                .setConfig(GraphDatabaseSettings.logs_directory, home.resolve("logs"))
                // As in a packaged server (and the Docker image): LOAD CSV file:///
                // URLs resolve inside HOME_DIR/import, not anywhere on the disk.
                .setConfig(GraphDatabaseSettings.load_csv_file_url_root, home.resolve("import"))
                .build();
    }

    private static long envLong(String name, long fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            System.err.println(name + " must be a whole number, not '" + value + "'");
            System.exit(2);
            return fallback;
        }
    }

    private static void waitForPort(int port, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                return;
            } catch (IOException e) {
                if (System.currentTimeMillis() > deadline) {
                    System.err.println("Bolt port " + port + " did not open: " + e);
                    System.exit(1);
                }
                Thread.sleep(100);
            }
        }
    }
}
