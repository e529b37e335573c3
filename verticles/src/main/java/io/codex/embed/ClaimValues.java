package io.codex.embed;

import io.codex.api.Problem;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Reads claims of a verified token as the strings that embedding products take. */
final class ClaimValues {
  private ClaimValues() {}

  /** One claim as a single string; 403 naming it when absent or not a single value. */
  static String single(Map<String, Object> claims, String claim, String what) {
    Object v = claims.get(claim);
    String s = scalar(v);
    if (s == null || s.isEmpty()) {
      throw Problem.forbidden("Your token has no usable claim \"" + claim + "\", which " + what
          + " is made from; ask for a token that carries it.");
    }
    return s;
  }

  /** One claim as a string or a list of strings; 403 naming it when absent or not such a value. */
  static Object singleOrList(Map<String, Object> claims, String claim, String what) {
    Object v = claims.get(claim);
    Collection<?> items = v instanceof JsonArray a ? a.getList() : v instanceof Collection<?> c ? c : null;
    if (items != null) {
      List<String> out = new ArrayList<>();
      for (Object o : items) {
        String s = scalar(o);
        if (s == null) {
          throw Problem.forbidden("The claim \"" + claim + "\" of your token, which " + what
              + " is made from, must hold strings, numbers or booleans.");
        }
        out.add(s);
      }
      return List.copyOf(out);
    }
    return single(claims, claim, what);
  }

  private static String scalar(Object v) {
    if (v instanceof String s) return s;
    if (v instanceof Boolean b) return b.toString();
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString(n.longValue()) : n.toString();
    }
    return null;
  }
}
