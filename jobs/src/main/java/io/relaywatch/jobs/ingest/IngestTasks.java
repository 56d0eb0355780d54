package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.LocalFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where ingest's tasks run. Each task is plain Java (it reads a file or part and writes its Parquet files itself), so
 * Spark is only its scheduler: on a cluster the tasks are Spark tasks on the executors; with a local master, where
 * Spark would run them on threads of this JVM anyway, they run on a pool of as many threads, without starting Spark
 * (a second of every run, and its first job's set-up). The task code, the files and the tables are the same.
 */
public sealed interface IngestTasks permits IngestTasks.OnSpark, IngestTasks.InThisJvm {

    /** One task: an item in, its result out, with the Hadoop settings of wherever it runs. */
    interface Task<T, R> extends Serializable {
        R run(T item, Configuration conf) throws Exception;
    }

    /** The Hadoop settings the driver lists, reads and commits files with. */
    Configuration hadoopConf();

    /** How many tasks run at once. */
    int parallelism();

    /** Runs one task per item, in the items' order as far as the cores allow; results in the items' order. */
    <T extends Serializable, R> List<R> map(List<T> items, Task<T, R> task) throws IOException;

    /**
     * The runner for the master Spark would use, {@code spark.master} (set by the launcher or {@code spark-submit}):
     * threads of this JVM for {@code local}, {@code local[N]}, {@code local[*]} (and {@code local[N,F]}), Spark's
     * executors for anything else. Spark is started only for the latter.
     */
    static IngestTasks forMaster(Supplier<SparkSession> spark) {
        Integer threads = localThreads(System.getProperty("spark.master"));
        return threads == null ? new OnSpark(spark.get())
                : new InThisJvm(threads, InThisJvm.hadoopConfFromSparkProperties());
    }

    /** The threads a local master gives its tasks; null for a cluster master (or none). */
    static Integer localThreads(String master) {
        if (master == null) {
            return null;
        }
        if (master.equals("local")) {
            return 1;
        }
        Matcher m = Pattern.compile("local\\[(\\*|\\d+)(?:,\\d+)?]").matcher(master);
        if (!m.matches()) {
            return null;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                : Math.max(1, Integer.parseInt(m.group(1)));
    }

    /** Tasks as Spark tasks, one partition per item; the Hadoop settings travel once per run, broadcast. */
    final class OnSpark implements IngestTasks {
        private final JavaSparkContext jsc;
        private Broadcast<SerializableConfiguration> shared;

        public OnSpark(SparkSession spark) {
            this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        }

        @Override
        public Configuration hadoopConf() {
            return jsc.hadoopConfiguration();
        }

        @Override
        public int parallelism() {
            return Math.max(1, jsc.defaultParallelism());
        }

        @Override
        public <T extends Serializable, R> List<R> map(List<T> items, Task<T, R> task) {
            if (shared == null) {
                shared = jsc.broadcast(new SerializableConfiguration(hadoopConf()));
            }
            Broadcast<SerializableConfiguration> conf = shared;
            return jsc.parallelize(items, Math.max(1, items.size()))
                    .map(item -> task.run(item, conf.value().value())).collect();
        }
    }

    /** Tasks on a pool of threads in this JVM, started in the items' order. */
    final class InThisJvm implements IngestTasks {
        private final int threads;
        private final Configuration conf;

        public InThisJvm(int threads, Configuration conf) {
            this.threads = threads;
            this.conf = conf;
        }

        /** What Spark would give its tasks: Hadoop's defaults plus every {@code spark.hadoop.*} property. */
        static Configuration hadoopConfFromSparkProperties() {
            Configuration conf = LocalFileSystems.register(new Configuration());
            System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("spark.hadoop."))
                    .forEach(name -> conf.set(name.substring("spark.hadoop.".length()), System.getProperty(name)));
            return conf;
        }

        @Override
        public Configuration hadoopConf() {
            return conf;
        }

        @Override
        public int parallelism() {
            return threads;
        }

        @Override
        public <T extends Serializable, R> List<R> map(List<T> items, Task<T, R> task) throws IOException {
            ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, items.size())), r -> {
                Thread thread = new Thread(r, "relaywatch-ingest-task");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<R>> futures = new ArrayList<>();
                for (T item : items) {
                    futures.add(pool.submit(() -> task.run(item, conf)));
                }
                List<R> results = new ArrayList<>();
                for (Future<R> future : futures) {
                    results.add(future.get());
                }
                return results;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("ingest interrupted", e);
            } catch (ExecutionException e) {
                // the task's own exception, as the task threw it (a Spark task's would come wrapped in the job's)
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw new IOException(io.getMessage(), io);
                }
                if (cause instanceof UncheckedIOException io) {
                    throw new IOException(io.getMessage(), io);
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (cause instanceof VirtualMachineError error) {
                    throw error;
                }
                // Hadoop reports a full disk as an FSError: a failed run, not a broken JVM
                throw new IOException(cause.toString(), cause);
            } finally {
                // after a failure: the tasks still waiting never start, the ones under way stop at their next rows
                // (they check for the interrupt), so that nothing writes after the run has returned
                pool.shutdownNow();
                try {
                    pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
