package io.relaywatch.jobs.ingest;

import io.relaywatch.jobs.LocalFileSystems;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Expands the paths given on the command line (files or folders, on any Hadoop file system) into the files to ingest.
 * Inside folders, hidden files and folders ({@code .x}, {@code _x}: checksums, Spark markers) are left out, as Hadoop's
 * input formats do, and so are notes that travel with log archives ({@code README*}, {@code *.md}); a file named
 * explicitly is always read. A path that does not exist is an error, not an empty input.
 */
public final class InputFiles {

    private InputFiles() {
    }

    public static List<InputFile> list(List<String> paths, Configuration conf) throws IOException {
        Set<String> seen = new TreeSet<>();
        List<InputFile> files = new ArrayList<>();
        for (String given : paths) {
            Path path = new Path(given);
            FileSystem fs = LocalFileSystems.of(path, conf);
            FileStatus status;
            try {
                status = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                throw new IllegalArgumentException("input not found: " + given);
            }
            if (status.isFile()) {
                add(files, seen, status);
                continue;
            }
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(path, true);
            while (it.hasNext()) {
                LocatedFileStatus file = it.next();
                if (!isHidden(path, file.getPath()) && !isNote(file.getPath().getName())) {
                    add(files, seen, file);
                }
            }
        }
        files.sort((a, b) -> a.uri().compareTo(b.uri()));
        return files;
    }

    private static void add(List<InputFile> files, Set<String> seen, FileStatus status) {
        String uri = status.getPath().toUri().toString();
        if (seen.add(uri)) {
            files.add(new InputFile(uri, status.getLen(), status.getModificationTime()));
        }
    }

    private static boolean isNote(String name) {
        return name.startsWith("README") || name.endsWith(".md");
    }

    /** Hidden if any path element below the given root starts with '.' or '_'. */
    private static boolean isHidden(Path root, Path file) {
        for (Path p = file; p != null && !p.equals(root) && p.depth() > root.depth(); p = p.getParent()) {
            String name = p.getName();
            if (name.startsWith(".") || name.startsWith("_")) {
                return true;
            }
        }
        return false;
    }
}
