package nl.beeldzorg.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import nl.beeldzorg.system.SafeCsv;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.jspecify.annotations.Nullable;

/**
 * A report as CSV (commons-csv) or as an Excel workbook (Apache POI): the same rows as
 * the JSON, one column per field, under headers in the asked language (Dutch by default).
 */
final class TableExport {

	/** The media type of an {@code .xlsx} workbook. */
	static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	private TableExport() {
	}

	/**
	 * @param columns the fields, in order
	 * @param rows the rows, as field maps
	 * @param language the headers' and words' language
	 * @return UTF-8 CSV with a header line, text cells neutralised against formulas
	 */
	static byte[] csv(List<String> columns, List<Map<String, Object>> rows, ExportLanguage language) {
		SafeCsv csv = SafeCsv.withHeader(headers(columns, language));
		for (Map<String, Object> row : rows) {
			for (String column : columns) {
				csv.cell(value(row, column, language));
			}
			csv.endRow();
		}
		return csv.utf8();
	}

	/**
	 * @param sheetName the first sheet's name
	 * @param columns the fields, in order
	 * @param rows the rows
	 * @param notes key-value lines for a second sheet (assumptions), or {@code null}
	 * @param language the headers' and words' language
	 * @return the workbook
	 */
	static byte[] xlsx(String sheetName, List<String> columns, List<Map<String, Object>> rows,
			@Nullable Map<String, Object> notes, ExportLanguage language) {
		try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
			CellStyle bold = bold(workbook);
			Sheet sheet = workbook.createSheet(sheetName);
			Row header = sheet.createRow(0);
			String[] headers = headers(columns, language);
			for (int c = 0; c < columns.size(); c++) {
				Cell cell = header.createCell(c);
				cell.setCellValue(headers[c]);
				cell.setCellStyle(bold);
			}
			for (int r = 0; r < rows.size(); r++) {
				Row row = sheet.createRow(r + 1);
				for (int c = 0; c < columns.size(); c++) {
					set(row.createCell(c), value(rows.get(r), columns.get(c), language));
				}
			}
			sheet.createFreezePane(0, 1);
			notes(workbook, notes, language);
			workbook.write(bytes);
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String[] headers(List<String> columns, ExportLanguage language) {
		return columns.stream().map(language::header).toArray(String[]::new);
	}

	/**
	 * A row's value as a download shows it: a suppressed figure reads "onderdrukt" (never
	 * empty or 0), the suppressed column says why.
	 */
	static @Nullable Object value(Map<String, Object> row, String column, ExportLanguage language) {
		boolean suppressed = Boolean.TRUE.equals(row.get("suppressed"));
		Object value = row.get(column);
		if ("suppressed".equals(column)) {
			if (suppressed) {
				return "complementary".equals(row.get("suppressedBecause")) ? language.suppressedComplementary()
						: language.suppressedYes();
			}
			return (value != null) ? language.suppressedNo() : null;
		}
		return (value == null && suppressed) ? language.suppressed() : value;
	}

	static CellStyle bold(XSSFWorkbook workbook) {
		CellStyle bold = workbook.createCellStyle();
		Font font = workbook.createFont();
		font.setBold(true);
		bold.setFont(font);
		return bold;
	}

	/** The notes sheet: the assumptions given, and why cells may be suppressed. */
	static void notes(XSSFWorkbook workbook, @Nullable Map<String, Object> notes, ExportLanguage language) {
		Sheet sheetNotes = workbook.createSheet(language.notesSheet());
		int r = 0;
		Row first = sheetNotes.createRow(r++);
		first.createCell(0).setCellValue(language.suppressed());
		first.createCell(1).setCellValue(language.suppressionNote());
		if (notes != null) {
			for (Map.Entry<String, Object> note : notes.entrySet()) {
				Row row = sheetNotes.createRow(r++);
				row.createCell(0).setCellValue(note.getKey());
				row.createCell(1).setCellValue(String.valueOf(note.getValue()));
			}
		}
	}

	static void set(Cell cell, @Nullable Object value) {
		if (value instanceof Number number) {
			cell.setCellValue(number.doubleValue());
		}
		else if (value instanceof Boolean flag) {
			cell.setCellValue(flag);
		}
		else if (value != null) {
			cell.setCellValue(value.toString());
		}
	}

}
