package org.artcp.node.cm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The connection table against {@link HashMap} as a model, with keys that collide on purpose. */
class ConnectionMapTest {
    @Test
    void behavesLikeAHashMapUnderRandomInsertsAndRemovals() {
        Random random = new Random(42);
        ConnectionMap map = new ConnectionMap(4);
        Map<Long, Connection> model = new HashMap<>();
        for (int step = 0; step < 200_000; step++) {
            // Few distinct keys, so probe runs form, wrap and are shifted back on removal.
            long key = ConnectionKey.of(0xC6120000 + random.nextInt(4), random.nextInt(300), 5002);
            Connection present = model.get(key);
            if (present == null) {
                Connection c = new Connection(key, 1, 2);
                map.put(c);
                model.put(key, c);
            } else if (random.nextBoolean()) {
                assertEquals(true, map.remove(present));
                model.remove(key);
            }
            assertSame(model.get(key), map.get(key));
            assertEquals(model.size(), map.size());
        }
        for (Map.Entry<Long, Connection> e : model.entrySet()) {
            assertSame(e.getValue(), map.get(e.getKey()));
        }
        assertEquals(false, map.remove(new Connection(ConnectionKey.of(1, 1, 1), 0, 0)));
    }

    @Test
    void transitionsLiveInOnePlace() {
        ConnectionState s = ConnectionState.SYN_SEEN;
        assertEquals(ConnectionState.SYN_SEEN, s.on(ConnectionEvent.BOTH_FINS_ACKNOWLEDGED));
        assertEquals(ConnectionState.ESTABLISHED, s.on(ConnectionEvent.HANDSHAKE_ACK));
        assertEquals(ConnectionState.CLOSING, ConnectionState.CLIENT_FIN.on(ConnectionEvent.SERVER_FIN));
        assertEquals(ConnectionState.CLOSING, ConnectionState.SERVER_FIN.on(ConnectionEvent.CLIENT_FIN));
        assertEquals(ConnectionState.TIME_WAIT, ConnectionState.CLOSING.on(ConnectionEvent.BOTH_FINS_ACKNOWLEDGED));
        for (ConnectionState st : ConnectionState.values()) {
            assertEquals(ConnectionState.TIME_WAIT, st.on(ConnectionEvent.RESET));
        }
        assertEquals(ConnectionState.TIME_WAIT, ConnectionState.TIME_WAIT.on(ConnectionEvent.CLIENT_FIN));
    }
}
