package org.artcp.node.mysql;

import java.util.List;

/**
 * What one SQL statement does to the session state that decides whether a read may leave the
 * primary: an open transaction, autocommit off, table locks (a read inside them must see that
 * transaction's snapshot or locks on every replica), and text-prepared statements.
 *
 * @param kind  what happens
 * @param name  the text-prepared statement's name (PREPARE, EXECUTE, DEALLOCATE), else null
 * @param inner PREPARE: the effects the prepared text will have when executed, null if unknown
 */
record Effect(Kind kind, String name, List<Effect> inner) {

    enum Kind {
        /** BEGIN, START TRANSACTION, XA START. */
        BEGIN,
        /** COMMIT or ROLLBACK without AND [NO] CHAIN: ends the transaction unless completion_type chains. */
        COMMIT,
        /** COMMIT/ROLLBACK AND CHAIN: a new transaction starts at once. */
        COMMIT_CHAIN,
        /** COMMIT/ROLLBACK AND NO CHAIN, XA COMMIT, XA ROLLBACK. */
        COMMIT_NO_CHAIN,
        /** SET autocommit = 0 (or a value we cannot read). */
        AUTOCOMMIT_OFF,
        /** SET autocommit = 1: also commits an open transaction. */
        AUTOCOMMIT_ON,
        /** SET completion_type to CHAIN or RELEASE (or a value we cannot read). */
        COMPLETION_CHAIN,
        /** SET completion_type = NO_CHAIN (0). */
        COMPLETION_NO_CHAIN,
        /** LOCK TABLES, FLUSH TABLES ... WITH READ LOCK / FOR EXPORT. */
        LOCK,
        /** UNLOCK TABLES. */
        UNLOCK,
        /** Something may have opened a transaction that we cannot see (a dynamic EXECUTE). */
        UNKNOWN,
        /** PREPARE name FROM ...: remember the text's effects. */
        PREPARE,
        /** EXECUTE name: apply the remembered effects. */
        EXECUTE,
        /** DEALLOCATE PREPARE name. */
        DEALLOCATE;

        /** Whether the effect can only keep or put the session in the all-causal state. */
        boolean tightens() {
            return this == BEGIN || this == COMMIT_CHAIN || this == AUTOCOMMIT_OFF || this == COMPLETION_CHAIN
                    || this == LOCK || this == UNKNOWN;
        }
    }

    static Effect of(Kind kind) {
        return new Effect(kind, null, null);
    }
}
