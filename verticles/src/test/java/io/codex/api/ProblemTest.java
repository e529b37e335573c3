package io.codex.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.HttpException;
import org.junit.jupiter.api.Test;

class ProblemTest {

  @Test
  void toJsonHasTypeTitleNumericStatusAndDetail() {
    JsonObject json = Problem.notFound("No device d1.").toJson("/api/v1/devices/d1");

    assertThat(json.getString("type")).isEqualTo("https://codex.dev/problems/404");
    assertThat(json.getString("title")).isEqualTo("Not Found");
    assertThat(json.getValue("status")).isInstanceOf(Integer.class).isEqualTo(404);
    assertThat(json.getString("detail")).isEqualTo("No device d1.");
    assertThat(json.getString("instance")).isEqualTo("/api/v1/devices/d1");
    assertThat(json.containsKey("errors")).as("no errors array when there are none").isFalse();
    assertThat(json.encode()).contains("\"status\":404");
  }

  @Test
  void toJsonListsFieldErrors() {
    Problem p = Problem.badRequest("The body is invalid.")
        .withError("deviceId", "is required")
        .withError("/3/location/lat", "must be between -90 and 90");

    JsonObject json = p.toJson(null);

    assertThat(p.hasErrors()).isTrue();
    assertThat(json.getInteger("status")).isEqualTo(400);
    assertThat(json.containsKey("instance")).isFalse();
    JsonArray errors = json.getJsonArray("errors");
    assertThat(errors).hasSize(2);
    assertThat(errors.getJsonObject(0)).isEqualTo(new JsonObject().put("field", "deviceId").put("message", "is required"));
    assertThat(errors.getJsonObject(1).getString("field")).isEqualTo("/3/location/lat");
    assertThat(errors.getJsonObject(1).getString("message")).isEqualTo("must be between -90 and 90");
  }

  @Test
  void toJsonIsASnapshotOfTheErrors() {
    Problem p = Problem.badRequest("bad").withError("a", "x");
    JsonObject json = p.toJson(null);
    p.withError("b", "y");
    assertThat(json.getJsonArray("errors")).hasSize(1);
  }

  @Test
  void unauthorizedCarriesBearerChallengeAndUnavailableRetryAfter() {
    Problem u = Problem.unauthorized("no");
    assertThat(u.status()).isEqualTo(401);
    assertThat(u.wwwAuthenticate()).isEqualTo("Bearer realm=\"codex\"");

    Problem s = Problem.unavailable("busy", 3);
    assertThat(s.status()).isEqualTo(503);
    assertThat(s.retryAfterSeconds()).isEqualTo(3);
  }

  @Test
  void statusOfMapsTimeoutAndNoHandlersTo503() {
    assertThat(Problems.statusOf(new ReplyException(ReplyFailure.TIMEOUT, "timed out"))).isEqualTo(503);
    assertThat(Problems.statusOf(new ReplyException(ReplyFailure.NO_HANDLERS, "no handlers"))).isEqualTo(503);
  }

  @Test
  void statusOfKeepsRecipientFailureHttpCode() {
    assertThat(Problems.statusOf(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "nope"))).isEqualTo(404);
    assertThat(Problems.statusOf(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "conflict"))).isEqualTo(409);
  }

  @Test
  void statusOfMapsNonHttpRecipientFailureCodeTo500() {
    assertThat(Problems.statusOf(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 42, "odd"))).isEqualTo(500);
    assertThat(Problems.statusOf(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, -1, "odd"))).isEqualTo(500);
  }

  @Test
  void statusOfProblemHttpExceptionAndOtherThrowables() {
    assertThat(Problems.statusOf(Problem.forbidden("no"))).isEqualTo(403);
    assertThat(Problems.statusOf(new HttpException(413))).isEqualTo(413);
    assertThat(Problems.statusOf(new IllegalStateException("boom"))).isEqualTo(500);
  }

  @Test
  void toProblemOfTimeoutIsRetryable503() {
    Problem p = Problems.toProblem(new ReplyException(ReplyFailure.TIMEOUT, "timed out"), 500);
    assertThat(p.status()).isEqualTo(503);
    assertThat(p.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void toProblemOfRecipient404IsNotFound() {
    Problem p = Problems.toProblem(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no geofence g1"), 500);
    assertThat(p.status()).isEqualTo(404);
    assertThat(p.title()).isEqualTo("Not Found");
  }

  @Test
  void toProblemNeverLeaksInternalExceptionMessage() {
    Problem p = Problems.toProblem(new IllegalStateException("password=hunter2"), 500);
    assertThat(p.status()).isEqualTo(500);
    assertThat(p.toJson(null).encode()).doesNotContain("hunter2");
  }

  @Test
  void toProblemReturnsAProblemUnchanged() {
    Problem original = Problem.conflict("exists");
    assertThat(Problems.toProblem(original, 500)).isSameAs(original);
  }

  @Test
  void toProblemWithoutThrowableUsesStatusHint() {
    assertThat(Problems.toProblem(null, 404).status()).isEqualTo(404);
    assertThat(Problems.toProblem(null, 405).status()).isEqualTo(405);
  }
}
