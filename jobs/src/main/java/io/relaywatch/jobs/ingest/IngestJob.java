package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.LocalFileSystems;
import io.relaywatch.jobs.SparkSchemas;
import io.relaywatch.jobs.Warehouse;
import io.relaywatch.jobs.WarehouseCommit;
import io.relaywatch.parsers.SyslogYear;
import io.relaywatch.schema.IngestFileColumn;
import io.relaywatch.schema.TableSchema;
import io.relaywatch.schema.Tables;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.not;

/**
 * Ingest: every input file is parsed in one task (so stateful formats see their header lines and line numbers are
 * exact), which writes the file's rows straight to Parquet, one file per table and partition ({@link TableFileWriter}):
 * every line is parsed once, and no row goes through Spark's row machinery.
 *
 * <p>Ingest is incremental and idempotent: a file already ingested with the same path, size and modification time is
 * not read again; a file whose size or time changed (a log that grew) replaces its earlier rows; a file whose bytes
 * (size and checksum) were already ingested under another path is counted but its rows are not written twice. A run's tables are
 * written under the warehouse's staging folder and committed at the end ({@link WarehouseCommit}), so an interrupted
 * run leaves nothing half-written visible, and the next run completes or undoes it.
 */
public final class IngestJob {

    private IngestJob() {
    }

    /**
     * What an ingest run did.
     *
     * @param files     the accounting rows of the files read in this run, sorted by file
     * @param unchanged files skipped because they were ingested before with the same path, size and time
     * @param notes     what was done about runs an earlier crash left behind
     */
    public record Result(List<FileSummary> files, List<String> unchanged, List<String> notes) {
    }

    public static Result run(SparkSession spark, List<String> inputs, String warehouse, IngestOptions options)
            throws IOException {
        return run(spark, inputs, warehouse, options, false);
    }

    /** Ingests the inputs on Spark; with {@code replace}, the run's tables replace everything ingested before. */
    public static Result run(SparkSession spark, List<String> inputs, String warehouse, IngestOptions options,
                             boolean replace) throws IOException {
        return run(new IngestTasks.OnSpark(spark), () -> spark, inputs, warehouse, options, replace);
    }

    /**
     * Ingests the inputs with {@code tasks}; {@code spark} is only asked for when rows of changed files must be
     * rewritten (so a local run that only adds files never starts Spark).
     */
    public static Result run(IngestTasks tasks, Supplier<SparkSession> spark, List<String> inputs, String warehouse,
                             IngestOptions options, boolean replace) throws IOException {
        Configuration hadoopConf = tasks.hadoopConf();
        FileSystem fs = LocalFileSystems.of(new Path(warehouse), hadoopConf);
        List<String> notes = WarehouseCommit.recover(fs, warehouse);
        List<InputFile> listed = InputFiles.list(inputs, hadoopConf);
        if (listed.isEmpty()) {
            throw new IllegalArgumentException("no input files under " + inputs);
        }
        Map<String, CommittedFile> committed = replace ? Map.of() : committedFiles(fs, warehouse, hadoopConf);
        List<InputFile> files = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        Set<String> changed = new LinkedHashSet<>();
        for (InputFile file : listed) {
            CommittedFile before = committed.get(file.uri());
            if (before != null && before.sameAs(file)) {
                unchanged.add(file.uri());
            } else {
                if (before != null) {
                    changed.add(file.uri());
                }
                files.add(file);
            }
        }
        if (files.isEmpty()) {
            return new Result(List.of(), unchanged, notes);
        }
        if (!changed.isEmpty()) {
            // rewriting the changed files' rows needs Spark: started before any task, so that a run that cannot
            // start it (no Spark on the classpath) stops before it has written anything
            spark.get();
        }

        Path runFolder = WarehouseCommit.runFolder(warehouse, options.runId());
        String staging = runFolder.toString();

        // one task per file (or per part of a big plain file in a splittable format): it reads its lines and writes
        // their rows straight to Parquet in the run's staging folder; only the accounting row and the names of the
        // files written come back
        List<Piece> pieces = new ArrayList<>(FileSplits.plan(tasks, files, options));
        IngestTasks.Task<Piece, FileOutcome> ingest = (piece, conf) -> ingestFile(piece.file(), piece.part(),
                piece.index(), options, conf, staging);
        List<FileOutcome> outcomes = new ArrayList<>(tasks.map(pieces, ingest));
        FileSplits.settleYears(tasks, pieces, outcomes, options, ingest);
        outcomes = FileSplits.merge(outcomes, pieces);

        // plain value arrays, not Spark rows: a local ingest that only adds files loads none of Spark's or Scala's classes
        List<Object[]> fileRows = markDuplicates(outcomes.stream().map(FileOutcome::fileRow).toList(), committed,
                changed, hadoopConf);
        Set<String> duplicates = new java.util.HashSet<>();
        for (Object[] row : fileRows) {
            if (row[IngestFileColumn.DUPLICATE_OF.ordinal()] != null) {
                duplicates.add((String) row[IngestFileColumn.SOURCE_FILE.ordinal()]);
            }
        }
        List<WarehouseCommit.Op> ops = new ArrayList<>();
        for (TableSchema table : Tables.INGESTED) {
            Path tableFolder = new Path(Warehouse.tablePath(warehouse, table));
            Path stagedTable = new Path(runFolder, table.name());
            List<Path> existing = WarehouseCommit.dataFiles(fs, tableFolder);
            if (replace) {
                existing.forEach(file -> ops.add(WarehouseCommit.Op.delete(file)));
            } else if (!changed.isEmpty() && !existing.isEmpty()) {
                supersede(spark.get(), fs, table, tableFolder, changed,
                        new Path(runFolder, "rewritten/" + table.name()), ops);
            }
            List<String> written = new ArrayList<>();
            if (table == Tables.INGEST_FILES) {
                try (TableFileWriter writer = new TableFileWriter(table, stagedTable, fileName(0, options), hadoopConf)) {
                    for (Object[] row : fileRows) {
                        writer.write(row);
                    }
                    writer.ensureFile();
                    written.addAll(writer.files());
                }
            } else {
                for (FileOutcome outcome : outcomes) {
                    if (!duplicates.contains(outcome.uri())) {
                        written.addAll(outcome.files().getOrDefault(table.name(), List.of()));
                    }
                }
                if (written.isEmpty() && (replace || existing.isEmpty()) && table.partitionColumn() == null) {
                    // no rows yet: an empty file still tells every Parquet reader the table and its columns
                    try (TableFileWriter writer = new TableFileWriter(table, stagedTable, fileName(0, options),
                            hadoopConf)) {
                        writer.ensureFile();
                        written.addAll(writer.files());
                    }
                }
            }
            for (String file : written) {
                Path path = new Path(file);
                ops.add(WarehouseCommit.Op.move(path, new Path(tableFolder, WarehouseCommit.relative(stagedTable,
                        path))));
            }
        }
        WarehouseCommit.commit(fs, runFolder, ops);
        List<FileSummary> summaries = new ArrayList<>();
        for (Object[] row : fileRows) {
            summaries.add(FileSummary.of(row));
        }
        summaries.sort(java.util.Comparator.comparing(FileSummary::file));
        return new Result(summaries, unchanged, notes);
    }

    /**
     * What one task did with one file: its {@code ingest_files} values, per table the Parquet files it wrote, and for
     * a part of a file the months its lines gave the syslog year resolver ({@code null} for a whole file).
     */
    record FileOutcome(String uri, Object[] fileRow, Map<String, List<String>> files, SyslogYear.Trace yearTrace)
            implements java.io.Serializable {
    }

    static String fileName(int index, IngestOptions options) {
        return String.format("part-%05d-%s.zstd.parquet", index, options.runId());
    }

    /** One unit of ingest work: a whole file, or a part of one ({@code part} non-null), numbered for file names. */
    record Piece(InputFile file, FileIngestor.Part part, int index, String checksum) implements java.io.Serializable {
    }

    /** Reads one file (or part) and writes its rows, table by table, under {@code staging/<table>/}. */
    static FileOutcome ingestFile(InputFile file, FileIngestor.Part part, int index, IngestOptions options,
                                  Configuration conf, String staging) throws IOException {
        FileIngestor ingestor = new FileIngestor(file, part, options,
                uri -> LocalFileSystems.of(new Path(uri), conf).open(new Path(uri)));
        Map<String, TableFileWriter> writers = new HashMap<>();
        Object[] fileRow = null;
        try {
            for (long rows = 1; ingestor.hasNext(); rows++) {
                if ((rows & 0xFFF) == 0 && Thread.currentThread().isInterrupted()) {
                    // another task failed and the run is over: stop writing (its staging folder is rolled back)
                    throw new java.io.InterruptedIOException("ingest task cancelled");
                }
                StagedRow row = ingestor.next();
                if (row.table().equals(Tables.INGEST_FILES.name())) {
                    fileRow = row.values();
                    continue;
                }
                TableFileWriter writer = writers.get(row.table());
                if (writer == null) {
                    TableSchema table = Tables.INGESTED.stream().filter(t -> t.name().equals(row.table()))
                            .findFirst().orElseThrow();
                    writer = new TableFileWriter(table, new Path(staging, table.name()), fileName(index, options),
                            conf);
                    writers.put(row.table(), writer);
                }
                writer.write(row.values());
            }
        } finally {
            for (TableFileWriter writer : writers.values()) {
                writer.close();
            }
        }
        Map<String, List<String>> files = new HashMap<>();
        writers.forEach((table, writer) -> files.put(table, List.copyOf(writer.files())));
        return new FileOutcome(file.uri(), fileRow, files, ingestor.yearTrace());
    }

    /** What {@code ingest_files} holds about a file ingested before. */
    record CommittedFile(String uri, long size, Long modifiedMillis, String checksum, String duplicateOf) {

        /** Same path, size and modification time: not read again. */
        boolean sameAs(InputFile file) {
            return modifiedMillis != null && size == file.size() && modifiedMillis == file.modified();
        }
    }

    /**
     * The committed {@code ingest_files} rows, by URI, read with Parquet's own reader (the table is small, and Spark
     * need not start for it).
     */
    private static Map<String, CommittedFile> committedFiles(FileSystem fs, String warehouse, Configuration conf)
            throws IOException {
        Map<String, CommittedFile> rows = new HashMap<>();
        for (Path file : WarehouseCommit.dataFiles(fs, new Path(Warehouse.tablePath(warehouse, Tables.INGEST_FILES)))) {
            try (ParquetReader<Group> reader = new GroupReader(LocalFileSystems.input(fs, fs.getFileStatus(file)))
                    .withConf(conf).build()) {
                for (Group row; (row = reader.read()) != null; ) {
                    CommittedFile committed = new CommittedFile(string(row, IngestFileColumn.SOURCE_FILE),
                            row.getLong(IngestFileColumn.FILE_SIZE.columnName(), 0),
                            epochMillis(row, IngestFileColumn.FILE_MODIFIED), string(row, IngestFileColumn.CHECKSUM),
                            string(row, IngestFileColumn.DUPLICATE_OF));
                    rows.put(committed.uri(), committed);
                }
            } catch (RuntimeException e) {
                throw new IOException("cannot read " + file + " of " + Tables.INGEST_FILES.name() + ": " + e, e);
            }
        }
        return rows;
    }

    /** parquet-mr's record reader into its example {@code Group}s, on a file opened by {@link LocalFileSystems}. */
    private static final class GroupReader extends ParquetReader.Builder<Group> {
        GroupReader(org.apache.parquet.io.InputFile file) {
            super(file);
        }

        @Override
        protected org.apache.parquet.hadoop.api.ReadSupport<Group> getReadSupport() {
            return new GroupReadSupport();
        }
    }

    private static String string(Group row, IngestFileColumn column) {
        String name = column.columnName();
        return row.getFieldRepetitionCount(name) == 0 ? null : row.getString(name, 0);
    }

    /** A timestamp column as epoch milliseconds, in whichever unit it was stored (we and Spark write micros). */
    private static Long epochMillis(Group row, IngestFileColumn column) {
        String name = column.columnName();
        if (row.getFieldRepetitionCount(name) == 0) {
            return null;
        }
        long value = row.getLong(name, 0);
        LogicalTypeAnnotation type = row.getType().getType(name).getLogicalTypeAnnotation();
        LogicalTypeAnnotation.TimeUnit unit = type instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
                ? t.getUnit() : LogicalTypeAnnotation.TimeUnit.MICROS;
        return switch (unit) {
            case MILLIS -> value;
            case MICROS -> Math.floorDiv(value, 1_000L);
            case NANOS -> Math.floorDiv(value, 1_000_000L);
        };
    }

    /** The checksum warehouses written before 2026-12-02 gave a file ({@link BlockDigest#legacySha256}). */
    private static String legacyChecksum(String uri, Configuration conf) throws IOException {
        Path path = new Path(uri);
        try (InputStream in = LocalFileSystems.of(path, conf).open(path)) {
            return BlockDigest.legacySha256(in);
        }
    }

    /**
     * Marks files whose bytes (size and checksum) were ingested before under another path, or earlier in this run's
     * order: they keep their accounting row, with {@code duplicate_of} set and no rows written. Files ingested with
     * the older SHA-256 checksums are compared with a new file of their size by that file's SHA-256.
     */
    static List<Object[]> markDuplicates(List<Object[]> fileRows, Map<String, CommittedFile> committed,
                                         Set<String> changed, Configuration conf) throws IOException {
        Map<String, String> owner = new HashMap<>();
        Map<Long, List<CommittedFile>> legacyBySize = new HashMap<>();
        int checksum = IngestFileColumn.CHECKSUM.ordinal();
        int duplicateOf = IngestFileColumn.DUPLICATE_OF.ordinal();
        for (CommittedFile file : committed.values()) {
            if (file.checksum() != null && file.duplicateOf() == null && !changed.contains(file.uri())) {
                owner.putIfAbsent(file.size() + "/" + file.checksum(), file.uri());
                if (BlockDigest.isLegacy(file.checksum())) {
                    legacyBySize.computeIfAbsent(file.size(), size -> new ArrayList<>()).add(file);
                }
            }
        }
        List<Object[]> sorted = new ArrayList<>(fileRows);
        sorted.sort(java.util.Comparator.comparing(r -> (String) r[IngestFileColumn.SOURCE_FILE.ordinal()]));
        List<Object[]> marked = new ArrayList<>();
        for (Object[] row : sorted) {
            String uri = (String) row[IngestFileColumn.SOURCE_FILE.ordinal()];
            long size = (Long) row[IngestFileColumn.FILE_SIZE.ordinal()];
            String first = row[checksum] == null ? null : owner.putIfAbsent(size + "/" + row[checksum], uri);
            if (first == null && row[checksum] != null && legacyBySize.containsKey(size)) {
                String old = legacyChecksum(uri, conf);
                first = legacyBySize.get(size).stream().filter(file -> file.checksum().equals(old))
                        .map(CommittedFile::uri).findFirst().orElse(null);
            }
            if (first == null || first.equals(uri)) {
                marked.add(row);
                continue;
            }
            Object[] values = row.clone();
            values[duplicateOf] = first;
            values[IngestFileColumn.ROWS_WRITTEN.ordinal()] = 0L;
            marked.add(values);
        }
        return marked;
    }

    /**
     * Files read again because they changed: the table's files holding their old rows are rewritten without them
     * (into the run's staging folder) and replaced at commit.
     */
    private static void supersede(SparkSession spark, FileSystem fs, TableSchema table, Path tableFolder,
                                  Set<String> changed, Path rewritten, List<WarehouseCommit.Op> ops)
            throws IOException {
        Object[] uris = changed.toArray();
        Dataset<Row> current = spark.read().schema(SparkSchemas.structType(table))
                .option("basePath", tableFolder.toString()).parquet(tableFolder.toString());
        List<String> affected = current.where(col("source_file").isin(uris)).select(input_file_name())
                .distinct().collectAsList().stream().map(r -> r.getString(0)).toList();
        if (affected.isEmpty()) {
            return;
        }
        Dataset<Row> kept = spark.read().schema(SparkSchemas.structType(table))
                .option("basePath", tableFolder.toString()).parquet(affected.toArray(new String[0]))
                .where(not(col("source_file").isin(uris)));
        write(kept, table, rewritten.toString());
        moveInto(fs, rewritten, tableFolder, ops);
        affected.forEach(file -> ops.add(WarehouseCommit.Op.delete(new Path(file))));
    }

    /** Writes one table's rows as Parquet, partitioned as declared. */
    private static void write(Dataset<Row> rows, TableSchema table, String folder) {
        var writer = rows.write().mode(SaveMode.ErrorIfExists);
        if (table.partitionColumn() != null) {
            // an empty partitioned write leaves no file: the table reads as empty through its declared schema
            writer.partitionBy(table.partitionColumn().columnName()).parquet(folder);
        } else {
            // one file even when empty, holding the schema, so that any Parquet reader sees an empty table
            writer.parquet(folder);
        }
    }

    private static void moveInto(FileSystem fs, Path staged, Path tableFolder, List<WarehouseCommit.Op> ops)
            throws IOException {
        for (Path file : WarehouseCommit.dataFiles(fs, staged)) {
            ops.add(WarehouseCommit.Op.move(file, new Path(tableFolder, WarehouseCommit.relative(staged, file))));
        }
    }
}
