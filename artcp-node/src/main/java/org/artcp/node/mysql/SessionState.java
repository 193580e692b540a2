package org.artcp.node.mysql;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-connection SQL state that forces every statement to be causal: inside an explicit
 * transaction, while autocommit is off, or while LOCK TABLES (or a global read lock) is held, a
 * read must see that transaction's snapshot or locks on every replica, so it runs everywhere.
 * Unclear cases keep the session in this state longer, which only costs speed.
 */
final class SessionState {
    private static final int MAX_TEXT_PREPARED = 1024;
    private static final int MAX_NESTING = 4;

    private boolean inTransaction;
    private boolean autocommitOff;
    private boolean tablesLocked;
    private boolean completionChains;
    /** Text-prepared statements by upper-case name: their effects when executed (null: unknown). */
    private final Map<String, List<Effect>> textPrepared = new HashMap<>();

    /** Null when a read may leave the primary; else why every statement is causal now. */
    String forcesCausal() {
        if (tablesLocked) {
            return "LOCK TABLES is held";
        }
        if (autocommitOff) {
            return "autocommit is off";
        }
        if (inTransaction) {
            return "inside a transaction";
        }
        return null;
    }

    void apply(List<Effect> effects) {
        apply(effects, 0);
    }

    private void apply(List<Effect> effects, int depth) {
        for (Effect e : effects) {
            switch (e.kind()) {
                case BEGIN, COMMIT_CHAIN, UNKNOWN -> inTransaction = true;
                case COMMIT -> inTransaction = completionChains;
                case COMMIT_NO_CHAIN -> inTransaction = false;
                case AUTOCOMMIT_OFF -> autocommitOff = true;
                case AUTOCOMMIT_ON -> {
                    autocommitOff = false;
                    inTransaction = false; // switching autocommit on commits the open transaction
                }
                case COMPLETION_CHAIN -> completionChains = true;
                case COMPLETION_NO_CHAIN -> completionChains = false;
                case LOCK -> tablesLocked = true;
                case UNLOCK -> tablesLocked = false;
                case PREPARE -> {
                    if (textPrepared.size() < MAX_TEXT_PREPARED || textPrepared.containsKey(e.name())) {
                        textPrepared.put(e.name(), e.inner());
                    }
                }
                case DEALLOCATE -> textPrepared.remove(e.name());
                case EXECUTE -> {
                    List<Effect> inner = textPrepared.get(e.name());
                    if (inner == null || depth >= MAX_NESTING) {
                        inTransaction = true; // unknown text: it may have opened a transaction
                    } else {
                        apply(inner, depth + 1);
                    }
                }
                default -> throw new IllegalStateException("unhandled effect " + e.kind());
            }
        }
    }

    /** COM_RESET_CONNECTION, COM_CHANGE_USER: the server rolls back, unlocks and forgets prepared statements. */
    void reset() {
        inTransaction = false;
        autocommitOff = false;
        tablesLocked = false;
        completionChains = false;
        textPrepared.clear();
    }
}
