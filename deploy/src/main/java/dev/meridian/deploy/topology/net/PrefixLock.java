package dev.meridian.deploy.topology.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * The lock file that marks a prefix as held by a live lab. The OS releases the lock when the JVM
 * dies, however it dies; {@link #release()} also deletes the file. Since a file can be deleted
 * while another process waits to lock it, the holder writes a token into its file and checks it can
 * read the token back through the path: if not, it locked a deleted file and tries again.
 */
final class PrefixLock {
  private final Path file;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean released;

  private PrefixLock(Path file, FileChannel channel, FileLock lock) {
    this.file = file;
    this.channel = channel;
    this.lock = lock;
  }

  static PrefixLock acquire(String prefix) {
    Path file = NetworkLab.LOCK_DIRECTORY.resolve(prefix + ".lock");
    try {
      Files.createDirectories(NetworkLab.LOCK_DIRECTORY);
      for (int attempt = 0; attempt < 10; attempt++) {
        FileChannel channel =
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          channel.close();
          throw new IllegalStateException(
              "a network lab with prefix " + prefix + " is already open in this JVM");
        }
        if (lock == null) {
          channel.close();
          throw new IllegalStateException(
              "a live process holds network lab prefix "
                  + prefix
                  + " ("
                  + file
                  + "); stop it or use another prefix");
        }
        String token =
            "pid "
                + ProcessHandle.current().pid()
                + " "
                + UUID.randomUUID()
                + System.lineSeparator();
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        if (token.equals(readOrEmpty(file))) {
          return new PrefixLock(file, channel, lock);
        }
        lock.release();
        channel.close();
      }
      throw new IllegalStateException("could not lock " + file + ": it keeps being replaced");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + file, e);
    }
  }

  synchronized void release() {
    if (released) {
      return;
    }
    released = true;
    try {
      Files.deleteIfExists(file);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot release " + file, e);
    }
  }

  private static String readOrEmpty(Path file) throws IOException {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return "";
    }
  }
}
