package dev.rnnplayground.server.access;

import dev.rnnplayground.server.common.Ids;
import dev.rnnplayground.server.common.ServiceException;
import java.util.regex.Pattern;

/**
 * Who sent a request: the teacher (the server's own token, the one {@code rnn serve} prints, or
 * anyone when the server runs with {@code --no-token}) or a learner, by the name the teacher gave
 * with {@code rnn token add NAME}. {@code http.AccessGuard} decides which and the services ask it
 * what may be seen and changed.
 *
 * <p>The rule for a class: what the teacher makes (and the shipped default models) is shared,
 * every learner sees it and none may delete or cancel it; what a learner makes is theirs alone,
 * and another learner asking for it is told it does not exist (404, as for an id never made, so
 * that ids do not leak what others have). The teacher sees and may change everything.
 *
 * <p>Stored records carry {@link #owner()}: the learner's name, or nothing for the teacher's,
 * so a data directory written before there were learners reads as the teacher's, shared.
 *
 * @param learner the learner's name, or null for the teacher
 */
public record Identity(String learner) {

    public static final Identity TEACHER = new Identity(null);

    /** A learner's name: what a teacher types, safe in a log line, a file and a URL alike. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,40}");

    public Identity {
        if (learner != null && !NAME.matcher(learner).matches()) throw new IllegalArgumentException(nameRule(learner));
    }

    public static Identity ofLearner(String name) {
        return new Identity(name);
    }

    /** Why {@code name} cannot be a learner's name, in words for the command line. */
    public static String nameRule(String name) {
        return "a learner's name is 1 to 40 letters, digits, '-', '_' or '.'; got '" + name + "'";
    }

    public boolean isTeacher() {
        return learner == null;
    }

    /** What to store as the owner of a thing this identity makes: the learner's name, null (shared) for the teacher. */
    public String owner() {
        return learner;
    }

    /** Whether a thing owned by {@code owner} (null: shared) is listed and readable for this identity. */
    public boolean maySee(String owner) {
        return isTeacher() || owner == null || owner.equals(learner);
    }

    /**
     * The one owner check of every request that names an id: a thing this identity may not see
     * is answered exactly as a missing one.
     */
    public void requireVisible(String owner, Ids.Kind kind, String id) {
        if (!maySee(owner)) throw ServiceException.notFound(kind.noun(), id);
    }

    /** A delete or a cancel: the teacher may change anything, a learner only their own. */
    public void requireChange(String owner, Ids.Kind kind, String id) {
        requireVisible(owner, kind, id);
        if (!isTeacher() && owner == null) {
            throw new ServiceException(ServiceException.Kind.FORBIDDEN, "Shared",
                    "The " + kind.noun() + " " + id + " is shared by the teacher; only the teacher can change it.");
        }
    }

    @Override
    public String toString() {
        return isTeacher() ? "teacher" : "learner " + learner;
    }
}
