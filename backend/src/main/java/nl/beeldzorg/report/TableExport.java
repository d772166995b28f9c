package nl.beeldzorg.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.jspecify.annotations.Nullable;

/**
 * A report as CSV (commons-csv) or as an Excel workbook (Apache POI): the same rows as
 * the JSON, one column per field.
 */
final class TableExport {

	/** The media type of an {@code .xlsx} workbook. */
	static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

	private TableExport() {
	}

	/**
	 * @param columns the header
	 * @param rows the rows, as field maps
	 * @return UTF-8 CSV with a header line
	 */
	static byte[] csv(List<String> columns, List<Map<String, Object>> rows) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (CSVPrinter printer = new CSVPrinter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8),
				CSVFormat.DEFAULT.builder().setHeader(columns.toArray(String[]::new)).get())) {
			for (Map<String, Object> row : rows) {
				for (String column : columns) {
					Object value = row.get(column);
					printer.print((value != null) ? value : "");
				}
				printer.println();
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * @param sheetName the first sheet's name
	 * @param columns the header
	 * @param rows the rows
	 * @param notes key-value lines for a second sheet (assumptions), or {@code null}
	 * @return the workbook
	 */
	static byte[] xlsx(String sheetName, List<String> columns, List<Map<String, Object>> rows,
			@Nullable Map<String, Object> notes) {
		try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
			CellStyle bold = workbook.createCellStyle();
			Font font = workbook.createFont();
			font.setBold(true);
			bold.setFont(font);
			Sheet sheet = workbook.createSheet(sheetName);
			Row header = sheet.createRow(0);
			for (int c = 0; c < columns.size(); c++) {
				Cell cell = header.createCell(c);
				cell.setCellValue(columns.get(c));
				cell.setCellStyle(bold);
			}
			for (int r = 0; r < rows.size(); r++) {
				Row row = sheet.createRow(r + 1);
				for (int c = 0; c < columns.size(); c++) {
					set(row.createCell(c), rows.get(r).get(columns.get(c)));
				}
			}
			sheet.createFreezePane(0, 1);
			if (notes != null) {
				Sheet sheetNotes = workbook.createSheet("Aannames");
				int r = 0;
				for (Map.Entry<String, Object> note : notes.entrySet()) {
					Row row = sheetNotes.createRow(r++);
					row.createCell(0).setCellValue(note.getKey());
					row.createCell(1).setCellValue(String.valueOf(note.getValue()));
				}
			}
			workbook.write(bytes);
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void set(Cell cell, @Nullable Object value) {
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
