package io.relaywatch.jobs.ingest;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ingest's own task runner for local masters: which masters it serves, order, parallelism, failures. */
class IngestTasksTest {

    @Test
    void localMastersRunInThisJvmAndClusterMastersOnSpark() {
        assertEquals(1, IngestTasks.localThreads("local"));
        assertEquals(3, IngestTasks.localThreads("local[3]"));
        assertEquals(4, IngestTasks.localThreads("local[4,2]"), "local[N,F]: N threads, F failures allowed");
        assertEquals(Runtime.getRuntime().availableProcessors(), IngestTasks.localThreads("local[*]"));
        assertNull(IngestTasks.localThreads(null), "no master: Spark decides (and fails clearly)");
        assertNull(IngestTasks.localThreads("spark://127.0.0.1:7077"));
        assertNull(IngestTasks.localThreads("yarn"));
        assertNull(IngestTasks.localThreads("local-cluster[2,1,1024]"), "several executor JVMs: Spark's");
        assertNull(IngestTasks.localThreads("k8s://https://127.0.0.1:6443"));
    }

    @Test
    void resultsComeInTheItemsOrderFromAsManyThreadsAsTheMasterHas() throws IOException {
        IngestTasks tasks = new IngestTasks.InThisJvm(2, new Configuration(false));
        List<Integer> items = IntStream.range(0, 40).boxed().toList();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        // the first two tasks wait for each other: this only ends if two threads really run at once
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<Integer> squares = tasks.map(items, (item, conf) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            if (item < 2) {
                bothStarted.countDown();
                assertTrue(bothStarted.await(30, TimeUnit.SECONDS), "a second thread");
            } else {
                Thread.sleep(item % 3);
            }
            running.decrementAndGet();
            return item * item;
        });
        assertEquals(items.stream().map(i -> i * i).toList(), squares);
        assertEquals(2, mostAtOnce.get(), "never more tasks at once than threads");
    }

    @Test
    void everyTaskGetsTheRunnersHadoopSettings() throws IOException {
        Configuration conf = new Configuration(false);
        conf.set("fs.relaywatch.probe", "yes");
        IngestTasks tasks = new IngestTasks.InThisJvm(2, conf);
        Set<Configuration> seen = ConcurrentHashMap.newKeySet();
        tasks.map(List.of(1, 2, 3), (item, taskConf) -> {
            seen.add(taskConf);
            return taskConf.get("fs.relaywatch.probe");
        }).forEach(value -> assertEquals("yes", value));
        assertEquals(1, seen.size());
        assertSame(conf, tasks.hadoopConf());
    }

    @Test
    void aFailingTaskFailsTheRunWithItsOwnMessageAndStopsTheOthers() {
        IngestTasks tasks = new IngestTasks.InThisJvm(2, new Configuration(false));
        List<Integer> started = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicInteger interrupted = new AtomicInteger();
        IOException failure = assertThrows(IOException.class, () -> tasks.map(IntStream.range(0, 50).boxed()
                .toList(), (item, conf) -> {
                    started.add(item);
                    if (item == 0) {
                        throw new IOException("No space left on device");
                    }
                    try {
                        Thread.sleep(10_000);
                    } catch (InterruptedException e) {
                        interrupted.incrementAndGet();
                        throw e;
                    }
                    return item;
                }));
        assertEquals("No space left on device", failure.getMessage());
        assertTrue(started.size() < 50, "the tasks still waiting never started: " + started.size());
        assertEquals(started.size() - 1, interrupted.get(), "the task under way was stopped, and map waited for it");
    }

    @Test
    void aTasksRuntimeErrorIsThrownAsItIs() {
        IngestTasks tasks = new IngestTasks.InThisJvm(1, new Configuration(false));
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> tasks.map(List.of(1),
                (item, conf) -> {
                    throw new IllegalStateException("broken writer");
                }));
        assertEquals("broken writer", failure.getMessage());
    }

    @Test
    void aFileSystemErrorFailsTheRunAsAnIoException() {
        IngestTasks tasks = new IngestTasks.InThisJvm(1, new Configuration(false));
        // an Error that is not the JVM's own, as Hadoop's FSError (whose constructor is not public)
        class FileSystemError extends Error {
            FileSystemError(Throwable cause) {
                super(cause);
            }
        }
        IOException failure = assertThrows(IOException.class, () -> tasks.map(List.of(1), (item, conf) -> {
            throw new FileSystemError(new IOException("No space left on device"));
        }));
        assertTrue(failure.getMessage().contains("No space left on device"), failure.getMessage());
    }
}
