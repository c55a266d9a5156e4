package org.varsgen.disk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files and directories to put in an image, in the order they were added (which is the
 * order of their directory entries and clusters, so the same calls give the same image). Names
 * are unique per directory without regard to case, as FAT requires.
 */
final class FatTree {
    abstract static sealed class Node permits Directory, File {
        final String name;
        final String path;
        /** Filled in by the writer. */
        byte[] shortName;
        int caseFlags;
        boolean needsLongName;
        long firstCluster;

        Node(String name, String path) {
            this.name = name;
            this.path = path;
        }
    }

    static final class Directory extends Node {
        private final Map<String, Node> children = new LinkedHashMap<>();

        Directory(String name, String path) {
            super(name, path);
        }

        List<Node> children() {
            return new ArrayList<>(children.values());
        }
    }

    static final class File extends Node {
        final byte[] data;

        File(String name, String path, byte[] data) {
            super(name, path);
            this.data = data;
        }
    }

    private final Directory root = new Directory("", "/");

    Directory root() {
        return root;
    }

    void addFile(String path, byte[] data) {
        List<String> parts = split(path);
        Directory parent = directories(parts.subList(0, parts.size() - 1), path);
        String name = parts.get(parts.size() - 1);
        String key = key(name);
        if (parent.children.containsKey(key)) {
            throw new DiskImageException("duplicate name: \"" + path + "\" is already in the image"
                    + describeExisting(parent.children.get(key), name));
        }
        parent.children.put(key, new File(name, normalized(parts), data));
    }

    void addDirectory(String path) {
        List<String> parts = split(path);
        directories(parts, path);
    }

    private Directory directories(List<String> parts, String path) {
        Directory current = root;
        for (int i = 0; i < parts.size(); i++) {
            String name = parts.get(i);
            Node existing = current.children.get(key(name));
            if (existing instanceof File file) {
                throw new DiskImageException("\"" + path + "\" needs a directory where the file \"" + file.path + "\" is");
            }
            if (existing == null) {
                existing = new Directory(name, normalized(parts.subList(0, i + 1)));
                current.children.put(key(name), existing);
            }
            current = (Directory) existing;
        }
        return current;
    }

    private static String describeExisting(Node existing, String name) {
        return existing.name.equals(name) ? ""
                : " as \"" + existing.path + "\" (FAT names differing only in case are the same)";
    }

    private static List<String> split(String path) {
        if (path == null || path.isEmpty()) {
            throw new DiskImageException("empty path");
        }
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.isEmpty()) {
            throw new DiskImageException("path \"" + path + "\" names the root directory, not a file or directory in it");
        }
        if (trimmed.indexOf('\\') >= 0) {
            throw new DiskImageException("path \"" + path + "\" contains a backslash; separate directories with '/'");
        }
        List<String> parts = List.of(trimmed.split("/", -1));
        for (String part : parts) {
            FatNames.validateLongName(part, path);
        }
        return parts;
    }

    private static String normalized(List<String> parts) {
        return "/" + String.join("/", parts);
    }

    /** FAT compares names case-insensitively. */
    private static String key(String name) {
        return name.toUpperCase(Locale.ROOT);
    }
}
