package io.spindle.cli.commands;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Columns aligned with two spaces between them, headers in capitals; empty cells show as "-". */
public final class TextTable {
    private static final String GAP = "  ";
    private static final String EMPTY = "-";

    private final String[] headers;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = headers.clone();
    }

    public TextTable row(Object... cells) {
        if (cells.length != headers.length) {
            throw new IllegalArgumentException(headers.length + " columns, but a row of " + cells.length);
        }
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            String s = cells[i] == null ? EMPTY : cells[i].toString();
            row[i] = s.isEmpty() ? EMPTY : s.replaceAll("\\R", " ");
        }
        rows.add(row);
        return this;
    }

    public int size() {
        return rows.size();
    }

    public String render() {
        int[] widths = new int[headers.length];
        for (int i = 0; i < headers.length; i++) {
            widths[i] = headers[i].length();
        }
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        line(b, headers, widths);
        rows.forEach(r -> line(b, r, widths));
        return b.toString();
    }

    public void print(PrintWriter out) {
        out.print(render());
    }

    private static void line(StringBuilder b, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(widths[i] - cells[i].length())).append(GAP);
            }
        }
        b.append(line.toString().stripTrailing()).append('\n');
    }
}
