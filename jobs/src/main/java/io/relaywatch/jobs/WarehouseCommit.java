package io.relaywatch.jobs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * How a run changes the warehouse without ever showing half of it. A run writes everything it produces under
 * {@code WAREHOUSE/_staging/RUN/} (no table reader looks there), then commits: it writes the list of file operations
 * to {@code _staging/RUN/_COMMIT} (one atomic rename), carries them out, and deletes the run's folder. A run that dies
 * before {@code _COMMIT} exists left nothing visible and is rolled back by the next writer; one that dies after it is
 * completed by the next writer, since every operation can be repeated. One writer at a time per warehouse.
 */
public final class WarehouseCommit {

    static final String STAGING = "_staging";
    static final String COMMIT_FILE = "_COMMIT";

    /**
     * One step of a commit. {@code MOVE} a file or folder into place (done when the source is gone); {@code DELETE}
     * a file or folder (done when it is gone); {@code SWAP} a new folder in for a table folder, parking the old one at
     * {@code parked} (done when the new folder is gone), for tables a run rewrites whole.
     */
    public record Op(String kind, String from, String to, String parked) {
        public static Op move(Path from, Path to) {
            return new Op("MOVE", from.toString(), to.toString(), null);
        }

        public static Op delete(Path path) {
            return new Op("DELETE", path.toString(), null, null);
        }

        public static Op swap(Path replacement, Path table, Path parked) {
            return new Op("SWAP", replacement.toString(), table.toString(), parked.toString());
        }
    }

    private WarehouseCommit() {
    }

    public static Path runFolder(String warehouse, String runId) {
        return new Path(new Path(warehouse, STAGING), runId);
    }

    /** Test hook: {@code -Drelaywatch.fault=halt-before-commit|halt-during-commit} ends the JVM there, as a kill would. */
    private static void fault(String where) {
        if (where.equals(System.getProperty("relaywatch.fault"))) {
            Runtime.getRuntime().halt(137);
        }
    }

    /** Records the operations, carries them out, and removes the run's staging folder. */
    public static void commit(FileSystem fs, Path runFolder, List<Op> ops) throws IOException {
        fault("halt-before-commit");
        Path pending = new Path(runFolder, COMMIT_FILE + ".tmp");
        try (OutputStream out = fs.create(pending, true)) {
            write(out, ops);
        }
        if (!fs.rename(pending, new Path(runFolder, COMMIT_FILE))) {
            throw new IOException("cannot record the commit of " + runFolder);
        }
        apply(fs, ops);
        fs.delete(runFolder, true);
    }

    private static void apply(FileSystem fs, List<Op> ops) throws IOException {
        int done = 0;
        for (Op op : ops) {
            if (done++ == ops.size() / 2) {
                fault("halt-during-commit");
            }
            Path from = new Path(op.from());
            switch (op.kind()) {
                case "MOVE" -> {
                    if (fs.exists(from)) {
                        Path to = new Path(op.to());
                        fs.mkdirs(to.getParent());
                        rename(fs, from, to);
                    }
                }
                case "DELETE" -> fs.delete(from, true);
                case "SWAP" -> {
                    if (fs.exists(from)) {
                        Path table = new Path(op.to());
                        Path parked = new Path(op.parked());
                        if (fs.exists(table)) {
                            fs.delete(parked, true);
                            fs.mkdirs(parked.getParent());
                            rename(fs, table, parked);
                        }
                        rename(fs, from, table);
                    }
                    fs.delete(new Path(op.parked()), true);
                }
                default -> throw new IOException("unknown commit operation " + op.kind());
            }
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot move " + from + " to " + to);
        }
    }

    /**
     * The operations as a JSON array of {@link Op} objects, written with Jackson's streaming writer: Jackson's object
     * mapper, which reads them back after a crash, costs a start-up of its own that every commit would pay.
     */
    private static void write(OutputStream out, List<Op> ops) throws IOException {
        try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
            json.writeStartArray();
            for (Op op : ops) {
                json.writeStartObject();
                json.writeStringField("kind", op.kind());
                json.writeStringField("from", op.from());
                json.writeStringField("to", op.to());
                json.writeStringField("parked", op.parked());
                json.writeEndObject();
            }
            json.writeEndArray();
        }
    }

    /**
     * Finishes or undoes what interrupted runs left: completes those that had recorded their commit, deletes the rest.
     * Returns one sentence per run, for the user.
     */
    public static List<String> recover(FileSystem fs, String warehouse) throws IOException {
        List<String> done = new ArrayList<>();
        Path staging = new Path(warehouse, STAGING);
        if (!fs.exists(staging)) {
            return done;
        }
        for (FileStatus run : fs.listStatus(staging)) {
            Path commit = new Path(run.getPath(), COMMIT_FILE);
            if (fs.exists(commit)) {
                List<Op> ops;
                try (InputStream in = fs.open(commit)) {
                    ops = List.of(new ObjectMapper().readValue(in, Op[].class));
                }
                apply(fs, ops);
                fs.delete(run.getPath(), true);
                done.add("completed the commit of interrupted run " + run.getPath().getName());
            } else {
                fs.delete(run.getPath(), true);
                done.add("rolled back interrupted run " + run.getPath().getName()
                        + " (it had not committed: nothing of it was visible)");
            }
        }
        fs.delete(staging, true);
        return done;
    }

    /** Runs whose commit is recorded but not carried out: readers warn that the warehouse is mid-commit. */
    public static List<String> pendingCommits(FileSystem fs, String warehouse) throws IOException {
        List<String> pending = new ArrayList<>();
        Path staging = new Path(warehouse, STAGING);
        if (fs.exists(staging)) {
            for (FileStatus run : fs.listStatus(staging)) {
                if (fs.exists(new Path(run.getPath(), COMMIT_FILE))) {
                    pending.add(run.getPath().getName());
                }
            }
        }
        return pending;
    }

    /** The data files under a folder (Spark's markers and hidden files left out), or none if it does not exist. */
    public static List<Path> dataFiles(FileSystem fs, Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!fs.exists(folder)) {
            return files;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(folder, true);
        while (it.hasNext()) {
            Path path = it.next().getPath();
            String name = path.getName();
            if (!name.startsWith("_") && !name.startsWith(".")) {
                files.add(path);
            }
        }
        return files;
    }

    /** {@code file}'s path below {@code folder} ({@code event_date=2026-11-09/part-0000.parquet}). */
    public static String relative(Path folder, Path file) {
        String base = folder.toUri().getPath();
        String path = file.toUri().getPath();
        return path.substring(base.length() + (base.endsWith("/") ? 0 : 1));
    }
}
