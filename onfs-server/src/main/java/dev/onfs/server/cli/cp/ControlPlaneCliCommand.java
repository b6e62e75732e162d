package dev.onfs.server.cli.cp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code onfs cp}: the control plane's REST API from the command line. {@code login} keeps the session
 * token in a file only the user can read; every other command sends it as a bearer token.
 */
@Command(name = "cp", mixinStandardHelpOptions = true,
    description = {"Talk to the control plane's REST API: log in, plan and submit changes, review requests,"
        + " manage users.", "Try: onfs cp login -u editor, then onfs cp submit -f change.yaml"},
    subcommands = {
      ControlPlaneCliCommand.Login.class,
      ControlPlaneCliCommand.Plan.class,
      ControlPlaneCliCommand.Submit.class,
      ControlPlaneCliCommand.Requests.class,
      ControlPlaneCliCommand.Approve.class,
      ControlPlaneCliCommand.Reject.class,
      ControlPlaneCliCommand.Withdraw.class,
      ControlPlaneCliCommand.Users.class,
    })
public final class ControlPlaneCliCommand implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--url", description = "the control plane's HTTP address (default ${DEFAULT-VALUE})",
      defaultValue = "${env:ONFS_CP_URL:-http://localhost:8090}")
  String url;

  @Option(names = "--session-file", description = "where login keeps the session token (default ${DEFAULT-VALUE})",
      defaultValue = "${sys:user.home}/.onfs/cp-session")
  Path sessionFile;

  @Option(names = {"-o", "--output"}, description = "text (default) or json", defaultValue = "text")
  String output;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A refusal from the API, already printed. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused() {
      super(null, null, false, false);
    }
  }

  JsonNode call(String method, String path, JsonNode body, boolean withSession) throws IOException, InterruptedException,
      Refused {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (withSession) {
      if (!Files.exists(sessionFile)) {
        err().println("onfs cp: not logged in (no " + sessionFile + "); run onfs cp login first");
        throw new Refused();
      }
      request.header("Authorization", "Bearer " + Files.readString(sessionFile).strip());
    }
    HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode answer = response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
    if (response.statusCode() >= 400) {
      String field = answer.path("field").asText("");
      err().println("onfs cp: " + response.statusCode() + " " + answer.path("detail").asText(answer.toString())
          + (field.isEmpty() ? "" : " (field " + field + ")"));
      err().flush();
      throw new Refused();
    }
    return answer;
  }

  void print(JsonNode answer, String text) throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    out.println(output.equals("json") ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer) : text);
    out.flush();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  static String describe(JsonNode request) {
    return String.format("#%d %-9s %-20s by %s%s", request.path("id").asLong(), request.path("status").asText(),
        request.path("kind").asText(), request.path("requester").asText(),
        request.path("outcome").isTextual() ? " -> " + request.path("outcome").asText() : "");
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** Runs a subcommand body, turning refusals into exit code 1. */
  abstract static class Sub implements Callable<Integer> {
    @ParentCommand ControlPlaneCliCommand cp;

    abstract void execute() throws Exception;

    @Override
    public Integer call() throws Exception {
      try {
        execute();
        return 0;
      } catch (Refused e) {
        return 1;
      } catch (IOException e) {
        cp.err().println("onfs cp: " + e.getMessage());
        cp.err().flush();
        return 1;
      }
    }
  }

  /** Reads a password from the environment or the first line of standard input, never from a flag. */
  static String password(String env) throws IOException {
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    if (System.console() != null) {
      return new String(System.console().readPassword("password: "));
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null ? "" : line;
  }

  @Command(name = "login", description = "Log in; the password comes from ONFS_CP_PASSWORD or standard input")
  static final class Login extends Sub {
    @Option(names = {"-u", "--user"}, required = true) String user;

    @Override
    void execute() throws Exception {
      ObjectNode body = object().put("name", user).put("password", password("ONFS_CP_PASSWORD"));
      JsonNode answer = cp.call("POST", "/api/login", body, false);
      Files.createDirectories(cp.sessionFile.toAbsolutePath().getParent());
      Files.deleteIfExists(cp.sessionFile);
      try {
        Files.createFile(cp.sessionFile, PosixFilePermissions.asFileAttribute(Set.of(
            PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE)));
      } catch (UnsupportedOperationException notPosix) {
        Files.createFile(cp.sessionFile);
      }
      Files.writeString(cp.sessionFile, answer.path("token").asText());
      ((ObjectNode) answer).remove("token");
      cp.print(answer, "logged in as " + answer.path("user").asText() + " (" + answer.path("role").asText()
          + ") until " + answer.path("expires-at").asText());
    }
  }

  /** Reads a change file: YAML or JSON, {@code {kind: ..., payload: {...}}}. */
  static JsonNode change(Path file) throws IOException {
    return new YAMLMapper().readTree(Files.readString(file));
  }

  @Command(name = "plan", description = "Dry run: classify a change without submitting it")
  static final class Plan extends Sub {
    @Option(names = {"-f", "--file"}, required = true, description = "YAML or JSON: {kind: ..., payload: {...}}")
    Path file;

    @Override
    void execute() throws Exception {
      JsonNode plan = cp.call("POST", "/api/plan", change(file), true);
      StringBuilder text = new StringBuilder(plan.path("class").asText()).append(": ").append(plan.path("outcome").asText());
      plan.path("changes").forEach(c -> text.append("\n  ").append(c.path("class").asText()).append("  ")
          .append(c.path("description").asText()));
      plan.path("warnings").forEach(w -> text.append("\n  warning: ").append(w.asText()));
      cp.print(plan, text.toString());
    }
  }

  @Command(name = "submit", description = "Submit a change request")
  static final class Submit extends Sub {
    @Option(names = {"-f", "--file"}, required = true, description = "YAML or JSON: {kind: ..., payload: {...}}")
    Path file;

    @Override
    void execute() throws Exception {
      JsonNode request = cp.call("POST", "/api/requests", change(file), true);
      cp.print(request, "submitted " + describe(request));
    }
  }

  @Command(name = "requests", description = "List requests (your own; --all for every user's, admins), or one by id")
  static final class Requests extends Sub {
    @Parameters(arity = "0..1", description = "a request id") @Nullable Long id;
    @Option(names = "--all", description = "every user's requests (admins)") boolean all;
    @Option(names = "--status", description = "PENDING, APPROVED, REJECTED or WITHDRAWN") @Nullable String status;

    @Override
    void execute() throws Exception {
      if (id != null) {
        JsonNode request = cp.call("GET", "/api/requests/" + id, object(), true);
        cp.print(request, describe(request) + "\n" + request.path("payload").toPrettyString());
        return;
      }
      String query = "?scope=" + (all ? "all" : "mine") + (status == null ? "" : "&status=" + enc(status));
      JsonNode list = cp.call("GET", "/api/requests" + query, object(), true);
      StringBuilder text = new StringBuilder();
      list.forEach(r -> text.append(text.length() == 0 ? "" : "\n").append(describe(r)));
      cp.print(list, text.length() == 0 ? "no requests" : text.toString());
    }
  }

  @Command(name = "approve", description = "Approve a pending request (admins; not your own)")
  static final class Approve extends Sub {
    @Parameters(description = "request id") long id;
    @Option(names = "--comment") @Nullable String comment;

    @Override
    void execute() throws Exception {
      JsonNode result = cp.call("POST", "/api/requests/" + id + "/approve", object().put("comment", comment), true);
      String text = "approved " + describe(result.path("request"));
      if (result.has("token")) {
        text += "\ntoken for " + result.path("token-for").asText() + " (shown once): " + result.path("token").asText();
      }
      cp.print(result, text);
    }
  }

  @Command(name = "reject", description = "Reject a pending request (admins)")
  static final class Reject extends Sub {
    @Parameters(description = "request id") long id;
    @Option(names = "--reason", required = true) String reason;

    @Override
    void execute() throws Exception {
      JsonNode request = cp.call("POST", "/api/requests/" + id + "/reject", object().put("reason", reason), true);
      cp.print(request, "rejected " + describe(request));
    }
  }

  @Command(name = "withdraw", description = "Withdraw your own pending request")
  static final class Withdraw extends Sub {
    @Parameters(description = "request id") long id;
    @Option(names = "--reason") @Nullable String reason;

    @Override
    void execute() throws Exception {
      JsonNode request = cp.call("POST", "/api/requests/" + id + "/withdraw", object().put("reason", reason), true);
      cp.print(request, "withdrawn " + describe(request));
    }
  }

  @Command(name = "users", description = {"List users, or manage one (admins):",
      "  users create NAME ROLE   (password from ONFS_CP_NEW_PASSWORD or standard input)",
      "  users role NAME ROLE | users deactivate NAME | users activate NAME"})
  static final class Users extends Sub {
    @Parameters(arity = "0..3", description = "create|role|deactivate|activate NAME [ROLE]") List<String> args = new ArrayList<>();

    @Override
    void execute() throws Exception {
      if (args.isEmpty()) {
        JsonNode users = cp.call("GET", "/api/users", object(), true);
        StringBuilder text = new StringBuilder();
        users.forEach(u -> text.append(text.length() == 0 ? "" : "\n").append(String.format("%-24s %-7s %s",
            u.path("name").asText(), u.path("role").asText(), u.path("active").asBoolean() ? "active" : "inactive")));
        cp.print(users, text.toString());
        return;
      }
      String action = args.get(0);
      if (args.size() < 2) {
        cp.err().println("onfs cp users " + action + ": a user name is required");
        throw new Refused();
      }
      String name = args.get(1);
      JsonNode user = switch (action) {
        case "create" -> cp.call("POST", "/api/users", object().put("name", name).put("role", role())
            .put("password", password("ONFS_CP_NEW_PASSWORD")), true);
        case "role" -> cp.call("POST", "/api/users/" + enc(name) + "/role", object().put("role", role()), true);
        case "deactivate", "activate" -> cp.call("POST", "/api/users/" + enc(name) + "/" + action, object(), true);
        default -> {
          cp.err().println("onfs cp users: unknown action '" + action + "'; one of create, role, deactivate, activate");
          throw new Refused();
        }
      };
      cp.print(user, user.path("name").asText() + " " + user.path("role").asText() + " "
          + (user.path("active").asBoolean() ? "active" : "inactive"));
    }

    private String role() throws Refused {
      if (args.size() < 3) {
        cp.err().println("onfs cp users " + args.get(0) + ": a role is required (viewer, editor, admin)");
        throw new Refused();
      }
      return args.get(2);
    }
  }
}
