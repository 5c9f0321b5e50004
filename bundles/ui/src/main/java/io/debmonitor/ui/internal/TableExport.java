package io.debmonitor.ui.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * The files a table page offers (issue #13): {@code ?format=csv} and {@code ?format=jsonl} hold
 * every row of the page's table under its filters and sort. {@link Pages} fetches the rows in
 * chunks; this class names the file and writes the rows.
 */
final class TableExport {

    static final String CSV = "csv";
    static final String JSONL = "jsonl";
    static final Set<String> FORMATS = Set.of(CSV, JSONL);
    /** Rows per chunk, or ui.maxPageSize when that is smaller: each chunk is one service call. */
    static final int CHUNK_SIZE = 1000;

    private static final String CSV_TYPE = "text/csv; charset=utf-8";
    /** Neither name is registered; x-ndjson is the one HTTP tools know. */
    private static final String JSONL_TYPE = "application/x-ndjson; charset=utf-8";
    /** Quotes only the cells that need it; leaves the response stream to the JAX-RS runtime, which closes it. */
    private static final CsvMapper CSV_MAPPER = CsvMapper.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();

    private TableExport() {
    }

    /** Writes rows, each a {@code Map} of column to value in column order, and flushes after each chunk. */
    interface RowWriter {
        void write(List<?> rows) throws IOException;

        /** Ends the file with a line that says it is incomplete, and why. */
        void abort(String message) throws IOException;
    }

    static String mediaType(String format) {
        return CSV.equals(format) ? CSV_TYPE : JSONL_TYPE;
    }

    /**
     * @param path the page's path, e.g. {@code /hosts/} or {@code /images/registry.example.org/a/b:1}
     * @return e.g. {@code hosts.csv}, {@code images-registry.example.org_a_b_1.jsonl}: only characters
     *         that need no quoting in Content-Disposition nor on any file system
     */
    static String fileName(String path, String format) {
        String trimmed = path.replaceAll("^/+|/+$", "");
        int slash = trimmed.indexOf('/');
        String name = slash < 0 ? trimmed : trimmed.substring(0, slash) + "-" + trimmed.substring(slash + 1);
        return name.replaceAll("[^A-Za-z0-9.+_-]", "_") + "." + format;
    }

    static RowWriter writer(String format, OutputStream out) {
        Writer text = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        return CSV.equals(format) ? new CsvRows(text) : new JsonLines(text);
    }

    /**
     * RFC 4180 with a header row of the first row's keys, links ({@code url}, {@code *_url}) left
     * out; a list or map is one cell of compact JSON, null an empty cell. An empty table is an
     * empty file: without a row there are no keys.
     */
    private static final class CsvRows implements RowWriter {
        private final Writer out;
        private List<String> columns;
        private SequenceWriter rows;

        CsvRows(Writer out) {
            this.out = out;
        }

        @Override
        public void write(List<?> items) throws IOException {
            for (Object item : items) {
                Map<?, ?> row = (Map<?, ?>) item;
                if (rows == null) {
                    columns = dataColumns(row);
                    rows = CSV_MAPPER.writer(schema(columns).withHeader()).writeValues(out);
                }
                List<String> cells = new ArrayList<>(columns.size());
                for (String column : columns) {
                    cells.add(cell(row.get(column)));
                }
                rows.write(cells);
            }
            flush();
        }

        @Override
        public void abort(String message) throws IOException {
            flush();
            out.write(CSV_MAPPER.writer(schema(List.of("error"))).writeValueAsString(List.of("ERROR: " + message)));
            out.flush();
        }

        private void flush() throws IOException {
            if (rows != null) {
                rows.flush();
            }
            out.flush();
        }

        private static CsvSchema schema(List<String> columns) {
            CsvSchema.Builder schema = CsvSchema.builder().setLineSeparator("\r\n");
            columns.forEach(schema::addColumn);
            return schema.build();
        }

        private static List<String> dataColumns(Map<?, ?> row) {
            List<String> columns = new ArrayList<>();
            for (Object key : row.keySet()) {
                String column = key.toString();
                if (!column.equals("url") && !column.endsWith("_url")) {
                    columns.add(column);
                }
            }
            return columns;
        }

        /**
         * A cell; text starting like a formula gets a leading {@code '}, so that a spreadsheet shows
         * what a host reported (a kernel version, a package name) instead of evaluating it.
         */
        static String cell(Object value) {
            if (value == null) {
                return "";
            }
            if (value instanceof Number || value instanceof Boolean) {
                return value.toString();
            }
            String text = value instanceof Iterable || value instanceof Map ? Pages.toJson(value) : value.toString();
            return !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        }
    }

    /** One JSON object a line, every key kept; the rows' own JSON form. */
    private static final class JsonLines implements RowWriter {
        private final Writer out;

        JsonLines(Writer out) {
            this.out = out;
        }

        @Override
        public void write(List<?> rows) throws IOException {
            for (Object row : rows) {
                out.write(Pages.toJson(row));
                out.write('\n');
            }
            out.flush();
        }

        @Override
        public void abort(String message) throws IOException {
            out.write(Pages.toJson(Map.of("error", message)));
            out.write('\n');
            out.flush();
        }
    }
}
