package org.artcp.bench.mysql;

/**
 * The five update operations of paper Fig. 7 on a table of ten integer fields. The paper names
 * create table, insert, delete and update and counts five; the fifth here is {@code DROP TABLE}:
 * timing create table R times needs R tables dropped again anyway, it is an update (causal) request
 * like the others, and like create table it touches the server's files rather than rows, so it
 * shows whether the slow file operations of both ends of a table's life hide the penalty alike.
 */
public enum UpdateOperation {
    /** {@code CREATE TABLE artcp_create_<n> (id INT PRIMARY KEY, c1 INT, …, c9 INT)}: new files. */
    CREATE_TABLE("create table", "create-table"),
    /** {@code INSERT INTO artcp_update VALUES (?, …)}: one new row. */
    INSERT("insert", "insert"),
    /** {@code UPDATE artcp_update SET c1 = c1 + 1, … WHERE id = ?}: one existing row by key. */
    UPDATE("update", "update"),
    /** {@code DELETE FROM artcp_update WHERE id = ?}: the row insert added. */
    DELETE("delete", "delete"),
    /** {@code DROP TABLE artcp_create_<n>}: the table create table made. */
    DROP_TABLE("drop table", "drop-table");

    /** The name in summaries and reports. */
    public final String label;
    /** The name in file names ({@code histograms/<fileName>.hlog}). */
    public final String fileName;

    UpdateOperation(String label, String fileName) {
        this.label = label;
        this.fileName = fileName;
    }

    /** By label or file name, e.g. {@code create table} or {@code create-table}. */
    public static UpdateOperation parse(String text) {
        for (UpdateOperation op : values()) {
            if (op.label.equalsIgnoreCase(text) || op.fileName.equalsIgnoreCase(text)) {
                return op;
            }
        }
        throw new IllegalArgumentException("unknown update operation '" + text + "'");
    }
}
