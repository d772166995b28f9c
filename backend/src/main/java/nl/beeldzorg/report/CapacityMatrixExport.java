package nl.beeldzorg.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import nl.beeldzorg.system.SafeCsv;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.HorizontalAlignment;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.jspecify.annotations.Nullable;

/**
 * The capacity matrix as the programme's cafetaria plan draws it: one row per
 * institution, for each discipline of the SO function family a pair "# fte | % groei". In
 * Excel the discipline heads span their pair, as in the plan; CSV has one header line,
 * the pair named by discipline. Suppressed cells read "onderdrukt", with the reason in a
 * note.
 */
final class CapacityMatrixExport {

	private CapacityMatrixExport() {
	}

	static byte[] csv(CapacityMatrix matrix, ExportLanguage language) {
		List<String> header = new ArrayList<>(
				List.of(language.header("institutionId"), language.header("matrix") + " " + matrix.period()));
		for (String discipline : CapacityMatrix.DISCIPLINES) {
			header.add(discipline + " " + language.header("fte"));
			header.add(discipline + " " + language.header("%"));
		}
		header.add(language.header("note"));
		SafeCsv csv = SafeCsv.withHeader(header.toArray(String[]::new));
		for (CapacityMatrix.Row row : matrix.rows()) {
			csv.cell(row.institutionId());
			csv.cell(row.institutionName());
			for (String discipline : CapacityMatrix.DISCIPLINES) {
				CapacityMatrix.Cell cell = row.cells().get(discipline);
				csv.cell(fte(cell, language));
				csv.cell(change(cell, language));
			}
			csv.cell(note(row, language));
			csv.endRow();
		}
		return csv.utf8();
	}

	static byte[] xlsx(CapacityMatrix matrix, ExportLanguage language) {
		try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
			CellStyle bold = TableExport.bold(workbook);
			CellStyle centred = workbook.createCellStyle();
			centred.cloneStyleFrom(bold);
			centred.setAlignment(HorizontalAlignment.CENTER);
			Sheet sheet = workbook
				.createSheet((language == ExportLanguage.NL) ? "Capaciteitsmatrix" : "Capacity matrix");
			Row heads = sheet.createRow(0);
			Row pairs = sheet.createRow(1);
			heads.createCell(0).setCellValue(language.header("matrix") + " " + matrix.period());
			heads.getCell(0).setCellStyle(bold);
			pairs.createCell(0).setCellValue(language.header("institutionName"));
			pairs.getCell(0).setCellStyle(bold);
			int column = 1;
			for (String discipline : CapacityMatrix.DISCIPLINES) {
				heads.createCell(column).setCellValue(discipline);
				heads.getCell(column).setCellStyle(centred);
				heads.createCell(column + 1).setCellStyle(centred);
				sheet.addMergedRegion(new CellRangeAddress(0, 0, column, column + 1));
				pairs.createCell(column).setCellValue(language.header("fte"));
				pairs.createCell(column + 1).setCellValue(language.header("%"));
				pairs.getCell(column).setCellStyle(centred);
				pairs.getCell(column + 1).setCellStyle(centred);
				column += 2;
			}
			pairs.createCell(column).setCellValue(language.header("note"));
			pairs.getCell(column).setCellStyle(bold);
			int r = 2;
			for (CapacityMatrix.Row row : matrix.rows()) {
				Row line = sheet.createRow(r++);
				line.createCell(0).setCellValue(row.institutionName());
				int c = 1;
				for (String discipline : CapacityMatrix.DISCIPLINES) {
					CapacityMatrix.Cell cell = row.cells().get(discipline);
					TableExport.set(line.createCell(c++), fte(cell, language));
					TableExport.set(line.createCell(c++), change(cell, language));
				}
				line.createCell(c).setCellValue(note(row, language));
			}
			r++;
			sheet.createRow(r++).createCell(0).setCellValue(legend(matrix, language));
			sheet.createRow(r).createCell(0).setCellValue(language.suppressionNote());
			sheet.setColumnWidth(0, 28 * 256);
			sheet.createFreezePane(1, 2);
			TableExport.notes(workbook, matrix.assumptions(), language);
			workbook.write(bytes);
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static @Nullable Object fte(CapacityMatrix.@Nullable Cell cell, ExportLanguage language) {
		if (cell == null) {
			return null;
		}
		return cell.suppressed() ? language.suppressed() : cell.fteEquivalent();
	}

	private static @Nullable Object change(CapacityMatrix.@Nullable Cell cell, ExportLanguage language) {
		if (cell == null) {
			return null;
		}
		return cell.suppressed() ? language.suppressed() : cell.changePercent();
	}

	/** Which cells of a row are suppressed, and why. */
	static String note(CapacityMatrix.Row row, ExportLanguage language) {
		List<String> few = suppressed(row, false);
		List<String> complementary = suppressed(row, true);
		List<String> parts = new ArrayList<>();
		if (!few.isEmpty()) {
			parts.add(String.join(", ", few) + ((language == ExportLanguage.NL)
					? ": onderdrukt, minder dan " + ReportScope.MIN_CONSULTANTS
							+ " behandelaren in deze of de vorige periode"
					: ": suppressed, fewer than " + ReportScope.MIN_CONSULTANTS
							+ " consultants in this or the previous period"));
		}
		if (!complementary.isEmpty()) {
			parts.add(String.join(", ", complementary) + ((language == ExportLanguage.NL)
					? ": aanvullend onderdrukt, zodat een kleine cel niet terug te rekenen is"
					: ": suppressed (complementary), so that a small cell cannot be computed back"));
		}
		return String.join("; ", parts);
	}

	private static List<String> suppressed(CapacityMatrix.Row row, boolean complementary) {
		return CapacityMatrix.DISCIPLINES.stream().filter((d) -> {
			CapacityMatrix.Cell cell = row.cells().get(d);
			return cell != null && cell.suppressed()
					&& complementary == TimeSavedReports.COMPLEMENTARY.equals(cell.suppressedBecause());
		}).toList();
	}

	static String legend(CapacityMatrix matrix, ExportLanguage language) {
		return (language == ExportLanguage.NL)
				? "# = fte's die Beeldzorg in " + matrix.period()
						+ " bespaarde (omgerekend naar een jaar), % = groei t.o.v. " + matrix.previousPeriod()
						+ " (leeg als er toen niets bespaard werd)"
				: "# = FTE Beeldzorg saved in " + matrix.period() + " (as a yearly rate), % = change against "
						+ matrix.previousPeriod() + " (empty when nothing was saved then)";
	}

}
