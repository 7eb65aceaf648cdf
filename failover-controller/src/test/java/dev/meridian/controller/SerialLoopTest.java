package dev.meridian.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.Status;
import io.grpc.StatusException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Admin calls on the loop answer with what happened, however late it happened. */
class SerialLoopTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final CountDownLatch release = new CountDownLatch(1);
  private SerialLoop loop;

  @AfterEach
  void close() {
    release.countDown();
    loop.close();
  }

  /** A loop whose thread is already running, so a call submitted now starts at once. */
  private void warmLoop(Duration timeout) throws InterruptedException {
    loop = new SerialLoop(timeout);
    CountDownLatch warm = new CountDownLatch(1);
    loop.execute(warm::countDown);
    warm.await();
  }

  @Test
  void aCallThatStartsInTimeAndFinishesLateIsReportedAsDone() throws Exception {
    warmLoop(Duration.ofMillis(500));
    CountDownLatch running = new CountDownLatch(1);
    CompletableFuture<String> answer = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                answer.complete(
                    loop.call(
                        () -> {
                          running.countDown();
                          release.await();
                          return "drained";
                        }));
              } catch (StatusException e) {
                answer.completeExceptionally(e);
              }
            });
    caller.start();
    assertThat(running.await(BOUND.toMillis(), TimeUnit.MILLISECONDS))
        .as("started within the timeout: " + answer)
        .isTrue();
    // Past its timeout the caller no longer waits with a timeout: it waits for the outcome.
    await().atMost(BOUND).until(() -> caller.getState() == Thread.State.WAITING);

    release.countDown();

    assertThat(answer.get()).isEqualTo("drained");
  }

  @Test
  void aCallThatCouldNotStartInTimeIsWithdrawnAndNeverRuns() throws Exception {
    warmLoop(Duration.ofMillis(1));
    CountDownLatch busy = new CountDownLatch(1);
    loop.execute(
        () -> {
          busy.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    busy.await();
    AtomicBoolean ran = new AtomicBoolean();

    StatusException refused =
        catchThrowableOfType(
            StatusException.class,
            () ->
                loop.call(
                    () -> {
                      ran.set(true);
                      return "drained";
                    }));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(refused.getStatus().getDescription())
        .isEqualTo(
            "the controller was too busy to start this call within 1ms; nothing changed, retry");
    release.countDown();
    CountDownLatch drained = new CountDownLatch(1);
    loop.execute(drained::countDown);
    drained.await();
    assertThat(ran).isFalse();
  }
}
