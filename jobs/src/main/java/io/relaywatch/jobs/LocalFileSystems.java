package io.relaywatch.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.parquet.hadoop.util.HadoopStreams;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Local files through Hadoop's API without two of its start-up costs, which a short ingest pays in full.
 * <ul>
 *   <li>Hadoop sets the mode of every file and folder it creates by starting a {@code chmod} process when its native
 *   library is absent (it is not shipped with Spark): about 40 processes for a one-file ingest, one per Parquet file
 *   and folder. {@link NoForkLocalFileSystem} sets them through {@code java.nio} instead; everything else, checksum
 *   files included, is Hadoop's {@link LocalFileSystem}.</li>
 *   <li>{@link FileSystem#get}'s first call logs the user in ({@code UserGroupInformation}: group mapping, metrics, a
 *   {@code setsid} probe) and loads every file system on the class path: 0.1 s. {@link #of} makes the local file
 *   system directly, once per {@link Configuration}; other schemes (hdfs, s3a) go through {@link FileSystem#get}.</li>
 * </ul>
 * {@link #register} makes the same file system Hadoop's choice for {@code file:} paths, so that Spark's writes skip the
 * processes too. A {@code fs.file.impl} the user set is kept, and then {@link #of} defers to Hadoop.
 */
public final class LocalFileSystems {

    private static final String IMPL_KEY = "fs.file.impl";
    private static final int BUFFER_BYTES = 4096;
    private static final Map<Configuration, FileSystem> LOCAL = Collections.synchronizedMap(new WeakHashMap<>());

    private LocalFileSystems() {
    }

    /** Makes {@link NoForkLocalFileSystem} the implementation of {@code file:} unless one is configured. */
    public static Configuration register(Configuration conf) {
        if (conf.get(IMPL_KEY) == null) {
            conf.set(IMPL_KEY, NoForkLocalFileSystem.class.getName());
        }
        return conf;
    }

    /** The file system of {@code path}: for local paths, one made directly (see the class comment). */
    public static FileSystem of(Path path, Configuration conf) throws IOException {
        if (!isLocal(path, conf)) {
            return path.getFileSystem(conf);
        }
        synchronized (LOCAL) {
            FileSystem fs = LOCAL.get(conf);
            if (fs == null) {
                fs = new NoForkLocalFileSystem();
                fs.initialize(URI.create("file:///"), conf);
                LOCAL.put(conf, fs);
            }
            return fs;
        }
    }

    private static boolean isLocal(Path path, Configuration conf) {
        String impl = conf.get(IMPL_KEY);
        if (impl != null && !impl.equals(NoForkLocalFileSystem.class.getName())) {
            return false;
        }
        String scheme = path.toUri().getScheme();
        if (scheme == null) {
            scheme = FileSystem.getDefaultUri(conf).getScheme();
        }
        return "file".equals(scheme);
    }

    /** Parquet's view of a file to write (as parquet-mr's {@code HadoopOutputFile}, on a given file system). */
    public static OutputFile output(FileSystem fs, Path path) {
        return new OutputFile() {
            @Override
            public PositionOutputStream create(long blockSizeHint) throws IOException {
                return open(false, blockSizeHint);
            }

            @Override
            public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
                return open(true, blockSizeHint);
            }

            private PositionOutputStream open(boolean overwrite, long blockSizeHint) throws IOException {
                return HadoopStreams.wrap(fs.create(path, overwrite, BUFFER_BYTES, fs.getDefaultReplication(path),
                        Math.max(fs.getDefaultBlockSize(path), blockSizeHint)));
            }

            @Override
            public boolean supportsBlockSize() {
                return true;
            }

            @Override
            public long defaultBlockSize() {
                return fs.getDefaultBlockSize(path);
            }

            @Override
            public String getPath() {
                return path.toString();
            }
        };
    }

    /** Parquet's view of a file to read (as parquet-mr's {@code HadoopInputFile}, on a given file system). */
    public static InputFile input(FileSystem fs, FileStatus status) {
        return new InputFile() {
            @Override
            public long getLength() {
                return status.getLen();
            }

            @Override
            public SeekableInputStream newStream() throws IOException {
                return HadoopStreams.wrap(fs.open(status.getPath()));
            }

            @Override
            public String toString() {
                return status.getPath().toString();
            }
        };
    }

    /** Hadoop's checksummed local file system, setting file modes without starting a process. */
    public static class NoForkLocalFileSystem extends LocalFileSystem {
        public NoForkLocalFileSystem() {
            super(new NoForkRawLocalFileSystem());
        }
    }

    /** Hadoop's raw local file system, setting file modes through {@code java.nio} where the file system allows. */
    public static class NoForkRawLocalFileSystem extends RawLocalFileSystem {
        @Override
        public void setPermission(Path p, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) {
                super.setPermission(p, permission); // java.nio cannot set it
                return;
            }
            try {
                Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
            } catch (UnsupportedOperationException e) {
                super.setPermission(p, permission); // not a POSIX file system: Hadoop's own way
            }
        }

        static Set<PosixFilePermission> posix(FsPermission permission) {
            Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
            add(set, permission.getUserAction(), PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.OWNER_EXECUTE);
            add(set, permission.getGroupAction(), PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE);
            add(set, permission.getOtherAction(), PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE);
            return set;
        }

        private static void add(Set<PosixFilePermission> set, FsAction action, PosixFilePermission read,
                                PosixFilePermission write, PosixFilePermission execute) {
            if (action.implies(FsAction.READ)) {
                set.add(read);
            }
            if (action.implies(FsAction.WRITE)) {
                set.add(write);
            }
            if (action.implies(FsAction.EXECUTE)) {
                set.add(execute);
            }
        }
    }
}
