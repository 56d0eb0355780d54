package io.relaywatch.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of one subcommand: positional values and {@code --name value} options, checked against the options the
 * subcommand knows so that a typo is an error instead of being ignored.
 */
public final class CommandLine {

    private final List<String> positional = new ArrayList<>();
    private final Map<String, List<String>> options = new HashMap<>();

    /** Thrown for arguments that do not fit the command; the message is meant for the user. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }

    public CommandLine(List<String> args, Set<String> knownOptions) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.startsWith("--") && arg.length() > 2) {
                String name = arg.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (!knownOptions.contains(name)) {
                    throw new UsageException("unknown option --" + name + " (known: --" + String.join(", --",
                            knownOptions.stream().sorted().toList()) + ")");
                }
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw new UsageException("--" + name + " needs a value");
                    }
                    value = args.get(++i);
                }
                options.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
            } else {
                positional.add(arg);
            }
        }
    }

    public List<String> positional() {
        return positional;
    }

    /** The option's value; the last one when it was given more than once. */
    public String option(String name) {
        List<String> values = options.get(name);
        return values == null ? null : values.get(values.size() - 1);
    }

    public String option(String name, String fallback) {
        String value = option(name);
        return value == null ? fallback : value;
    }

    /** Every value of a repeatable option, in order. */
    public List<String> options(String name) {
        return options.getOrDefault(name, List.of());
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    public String required(String name) {
        String value = option(name);
        if (value == null) {
            throw new UsageException("--" + name + " is required");
        }
        return value;
    }

    public Integer intOption(String name) {
        String value = option(name);
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " takes a whole number, not '" + value + "'");
        }
    }
}
