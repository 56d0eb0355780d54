package io.relaywatch.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local files without Hadoop's chmod processes and FileSystem.get's log-in, and Hadoop's choice where the user made one. */
class LocalFileSystemsTest {

    @TempDir
    java.nio.file.Path dir;

    @Test
    void modesOfCreatedFilesAndFoldersAreSetAsHadoopSetsThem() throws Exception {
        Configuration conf = new Configuration();
        FileSystem fs = LocalFileSystems.of(new Path(dir.toUri()), conf);
        assertTrue(fs instanceof LocalFileSystems.NoForkLocalFileSystem);

        Path folder = new Path(dir.toUri().toString(), "a/b");
        assertTrue(fs.mkdirs(folder, new FsPermission((short) 0750)));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a/b"))));

        Path file = new Path(folder, "part.parquet");
        try (FSDataOutputStream out = fs.create(file, new FsPermission((short) 0640), false, 4096, (short) 1,
                1 << 20, null)) {
            out.write(new byte[] {1, 2, 3});
        }
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("a/b/part.parquet"))));
        // still Hadoop's checksummed local file system: the checksum file is there and reading verifies it
        assertTrue(Files.exists(dir.resolve("a/b/.part.parquet.crc")));
        assertEquals(3, fs.open(file).readAllBytes().length);

        fs.setPermission(file, new FsPermission((short) 0604));
        assertEquals("rw----r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve("a/b/part.parquet"))));
    }

    @Test
    void onePerConfigurationForLocalAndSchemelessPaths() throws Exception {
        Configuration conf = new Configuration();
        FileSystem local = LocalFileSystems.of(new Path("file:///tmp"), conf);
        assertSame(local, LocalFileSystems.of(new Path("relative/path"), conf));
        assertSame(local, LocalFileSystems.of(new Path(dir.toString()), conf));
        assertFalse(local == LocalFileSystems.of(new Path("file:///tmp"), new Configuration()));
    }

    @Test
    void aFileSystemTheUserConfiguredIsKept() throws Exception {
        Configuration conf = new Configuration();
        conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
        conf.setBoolean("fs.file.impl.disable.cache", true);
        FileSystem fs = LocalFileSystems.of(new Path(dir.toUri()), conf);
        assertEquals(RawLocalFileSystem.class, fs.getClass());
        assertEquals(RawLocalFileSystem.class.getName(), LocalFileSystems.register(conf).get("fs.file.impl"));

        Configuration unset = LocalFileSystems.register(new Configuration());
        assertEquals(LocalFileSystems.NoForkLocalFileSystem.class.getName(), unset.get("fs.file.impl"));
        assertTrue(LocalFileSystems.of(new Path(dir.toUri()), unset) instanceof LocalFileSystems.NoForkLocalFileSystem);
    }
}
