package org.artcp.netpipe;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A {@link NetpipeReceiver} on its own thread, for tests. */
final class JavaReceiverThread {
    private final CountDownLatch listening = new CountDownLatch(1);
    private final Thread thread;
    volatile List<PointResult> points;
    volatile NetpipeException failure;

    JavaReceiverThread(NetpipeOptions options) {
        NetpipeListener l = new NetpipeListener() {
            @Override
            public void onListening(SocketAddress local) {
                listening.countDown();
            }
        };
        thread = Thread.ofPlatform().name("test-receiver").daemon().start(() -> {
            try {
                points = NetpipeReceiver.run(options, l);
            } catch (NetpipeException e) {
                failure = e;
            } finally {
                listening.countDown();
            }
        });
    }

    JavaReceiverThread awaitListening() throws InterruptedException {
        if (!listening.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the receiver did not start listening");
        }
        return this;
    }

    boolean join(Duration timeout) throws InterruptedException {
        thread.join(timeout);
        return !thread.isAlive();
    }
}
