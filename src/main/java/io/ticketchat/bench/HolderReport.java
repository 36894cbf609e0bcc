package io.ticketchat.bench;

/**
 * One line a client process ({@link ConnectionHolder}) writes on its standard output for the bench process,
 * fields separated by single spaces:
 * <ul>
 *   <li>{@code progress JOINED FAILURES} every two seconds while connections open: connections that joined so
 *       far and connections that failed so far, over all of this process's ranges;</li>
 *   <li>{@code held OPEN FAILURES} in reply to each command: connections that joined and are still open, and
 *       the failures so far;</li>
 *   <li>{@code error MESSAGE} once, before the process exits on an error.</li>
 * </ul>
 *
 * @param connections JOINED or OPEN, or 0 for an error
 * @param failures FAILURES, or 0 for an error
 * @param message the error message, or empty for the other kinds
 */
record HolderReport(Kind kind, int connections, int failures, String message) {
    /** The first field of a report line. */
    enum Kind {
        PROGRESS("progress"),
        HELD("held"),
        ERROR("error");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }
    }

    static HolderReport progress(int joined, int failures) {
        return new HolderReport(Kind.PROGRESS, joined, failures, "");
    }

    static HolderReport held(int open, int failures) {
        return new HolderReport(Kind.HELD, open, failures, "");
    }

    /** Returns an error report; line breaks in {@code message} become spaces, so the report stays one line. */
    static HolderReport error(String message) {
        return new HolderReport(Kind.ERROR, 0, 0, String.valueOf(message).replaceAll("[\\r\\n]+", " "));
    }

    /** Returns the report as one line, without the line break. */
    String toLine() {
        return kind == Kind.ERROR
                ? kind.wireName() + " " + message
                : kind.wireName() + " " + connections + " " + failures;
    }

    /**
     * Parses a report line.
     *
     * @throws IllegalArgumentException if the line is not a report
     */
    static HolderReport parse(String line) {
        if (line.startsWith(Kind.ERROR.wireName() + " ")) {
            return error(line.substring(Kind.ERROR.wireName().length() + 1));
        }
        String[] fields = line.split(" ");
        if (fields.length == 3) {
            try {
                int connections = Integer.parseInt(fields[1]);
                int failures = Integer.parseInt(fields[2]);
                if (fields[0].equals(Kind.PROGRESS.wireName())) {
                    return progress(connections, failures);
                }
                if (fields[0].equals(Kind.HELD.wireName())) {
                    return held(connections, failures);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid client process report: " + line, e);
            }
        }
        throw new IllegalArgumentException("invalid client process report: " + line);
    }
}
