package dev.meridian.deploy.topology.net;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A tiny network probe that runs as its own JVM inside a lab namespace ({@code ip netns exec <ns>
 * java -cp <test classpath> NetProbe}) and answers one line per command read from standard input:
 *
 * <ul>
 *   <li>{@code tcp-listen ADDR} → {@code listening PORT}: accepts on an ephemeral port and greets
 *       each connection with {@code hello from ADDR}.
 *   <li>{@code tcp-connect ADDR PORT MILLIS} → {@code connected <greeting>}, {@code timeout},
 *       {@code refused} or {@code unreachable}.
 *   <li>{@code udp-listen ADDR} → {@code listening PORT}.
 *   <li>{@code udp-receive TEXT MILLIS} → {@code received TEXT from IP}, or {@code timeout} if no
 *       datagram carrying TEXT came in time (others are skipped).
 *   <li>{@code udp-send ADDR PORT TEXT} → {@code sent}.
 * </ul>
 *
 * The JDK is the one tool every machine that builds Meridian has, and in Java the connect time
 * limit and the difference between a dropped and a refused connection are exact.
 */
public final class NetProbe {
  private DatagramSocket udp;

  public static void main(String[] args) throws IOException {
    PrintStream out =
        new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    NetProbe probe = new NetProbe();
    out.println("ready");
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      out.println(probe.handle(line.strip()));
    }
  }

  String handle(String line) {
    String[] words = line.split(" ");
    try {
      switch (words[0]) {
        case "tcp-listen":
          return "listening " + tcpListen(words[1]);
        case "tcp-connect":
          return tcpConnect(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]));
        case "udp-listen":
          udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(words[1]), 0));
          return "listening " + udp.getLocalPort();
        case "udp-receive":
          return udpReceive(words[1], Integer.parseInt(words[2]));
        case "udp-send":
          try (DatagramSocket socket = new DatagramSocket()) {
            byte[] text = words[3].getBytes(StandardCharsets.UTF_8);
            socket.send(
                new DatagramPacket(
                    text,
                    text.length,
                    new InetSocketAddress(
                        InetAddress.getByName(words[1]), Integer.parseInt(words[2]))));
          }
          return "sent";
        default:
          return "error unknown command: " + line;
      }
    } catch (IOException | RuntimeException e) {
      return "error " + e;
    }
  }

  /** Connects, reads the greeting, and tells how it went; usable in the test JVM too. */
  static String tcpConnect(String address, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), timeoutMillis);
      socket.setSoTimeout(timeoutMillis);
      BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      return "connected " + reader.readLine();
    } catch (SocketTimeoutException e) {
      return "timeout";
    } catch (ConnectException e) {
      return "refused";
    } catch (NoRouteToHostException e) {
      return "unreachable";
    } catch (IOException e) {
      return "error " + e;
    }
  }

  /** Listens on {@code address} and greets each connection; usable in the test JVM too. */
  static int tcpListen(String address) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
    Thread acceptor =
        new Thread(
            () -> {
              while (true) {
                try (Socket socket = server.accept()) {
                  OutputStream out = socket.getOutputStream();
                  out.write(("hello from " + address + "\n").getBytes(StandardCharsets.UTF_8));
                  out.flush();
                } catch (IOException e) {
                  // The client went away first; serve the next one.
                }
              }
            },
            "accept-" + address);
    acceptor.setDaemon(true);
    acceptor.start();
    return server.getLocalPort();
  }

  private String udpReceive(String text, int timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    byte[] buffer = new byte[1500];
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000L;
      if (left <= 0) {
        return "timeout";
      }
      udp.setSoTimeout((int) left);
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (SocketTimeoutException e) {
        return "timeout";
      }
      String received = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
      if (received.equals(text)) {
        return "received " + received + " from " + packet.getAddress().getHostAddress();
      }
    }
  }
}
