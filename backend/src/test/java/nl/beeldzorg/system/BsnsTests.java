package nl.beeldzorg.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A BSN is found however it is written, and dates, times, phone numbers and minutes are
 * not taken for one. 111222333, 123456782 and (with its leading zero dropped) 12345672
 * pass the eleven-test; 123456789 does not.
 */
class BsnsTests {

	@ParameterizedTest
	@ValueSource(strings = { "111222333", "BSN111222333", "111222333X", "111/222/333", "K-111222333", "1112.22.333",
			"111 222 333", "111-222-333", "111 - 222 - 333", "111. 222. 333", "111_222_333", "111\\222\\333",
			"111,222,333", "111\u00a0222\u00a0333", "111\u2013222\u2013333", "123-45-6782",
			"\uff11\uff11\uff11\uff12\uff12\uff12\uff13\uff13\uff13", "1.1.1.2.2.2.3.3.3", "1-1-1-2-2-2-3-3-3",
			"bsn:111222333.", "(111222333)", "mevr. met bsn 1234.56.782 valt vaak", "geboren 1-2-1950 123 456 782",
			"kamer 12 111 222 333", "tel 0612345678 111222333", "06-12345678 111222333", "+31 6 12345678 111222333",
			"BSN 12345672", "burgerservicenummer: 1234.56.72", "sofinr 1234 5672",
			"Vraag over client 111222333 met decubitus" })
	void aBsnIsFoundHoweverItIsWritten(String text) {
		assertThat(Bsns.inText(text)).as(text).isTrue();
		assertThat(Bsns.inReference(text)).as(text).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "123456789", "111222334", "1112223334", "01111222333", "0612345678", "06-12345678",
			"06 1234 5678", "06 12 34 56 78", "+31 6 12345678", "+31 612345671", "0031 612345671", "+31 612 345 671",
			"088 123 4567", "020-123 456 78", "01-04-2026", "1-4-2026 14.30", "01042026", "20260401", "14:30",
			"om 10.30 - 11.45 uur", "45 min", "3 x per dag 500 mg", "RR 135/85, pols 88", "waarden 110 70 62 98",
			"RR 120, 130, 154", "1 1 1 2 2 2 3 3 3", "Glucose 7,2 8,1 6,5", "postcode 7311 AB 12",
			"NL91 ABNA 0417 1643 00", "12,5 kg", "000000000", "000 000 000", "K-4711", "", "geen cijfers" })
	void datesTimesPhonesAndMinutesAreNotABsn(String text) {
		assertThat(Bsns.inText(text)).as(text).isFalse();
	}

	@Test
	void eightDigitsAreABsnWithoutItsLeadingZeroInAReferenceOnly() {
		assertThat(Bsns.inReference("12345672")).isTrue();
		assertThat(Bsns.inReference("K-1234.56.72")).isTrue();
		assertThat(Bsns.inText("12345672")).isFalse();
		assertThat(Bsns.inText("ordernummer 12345672")).isFalse();
		assertThat(Bsns.inText("BSN 12345672")).isTrue();
		// A date of eight digits passes the eleven-test, yet is a date in running text.
		assertThat(Bsns.elevenTest("01042026")).isTrue();
		assertThat(Bsns.inText("gevallen op 01042026")).isFalse();
	}

	@Test
	void aListIsNotOneNumberButThreeGroupsWrittenLikeABsnAre() {
		// 110706298 and 120130154 pass the eleven-test: as one chain they would be
		// refused.
		assertThat(Bsns.elevenTest("110706298")).isTrue();
		assertThat(Bsns.inText("waarden 110 70 62 98")).isFalse();
		assertThat(Bsns.inText("RR 120, 130, 154")).isFalse();
		assertThat(Bsns.inText("RR 120 130 154")).isTrue();
		assertThat(Bsns.inText("waarden 110 70 62 98 111 222 333")).isTrue();
	}

	@Test
	void theElevenTestWeighsNineToTwoAndMinusOne() {
		assertThat(Bsns.elevenTest("111222333")).isTrue();
		assertThat(Bsns.elevenTest("123456782")).isTrue();
		assertThat(Bsns.elevenTest("123456789")).isFalse();
		assertThat(Bsns.elevenTest("000000000")).isFalse();
		assertThat(Bsns.elevenTest("1234567")).isFalse();
	}

}
