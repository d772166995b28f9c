package nl.beeldzorg.consult;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ClientRefsTests {

	@ParameterizedTest
	@ValueSource(strings = { "111222333", "123456782", "999999990", "1234.56.782", "123 456 782", "123-456-782",
			"12345672", "BSN111222333", "111222333X", "111/222/333", "K-111222333", "K-1234.56.72", "C_111_222_333",
			"BSN-123456782x" })
	void valuesPassingTheElevenTestLookLikeABsn(String value) {
		assertThat(ClientRefs.looksLikeBsn(value)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "123456789", "111222334", "K-4711", "000000000", "1234567", "1234567890", "12345678a",
			"C-2024-0412", "K1112223334" })
	void otherValuesAreFine(String value) {
		assertThat(ClientRefs.looksLikeBsn(value)).isFalse();
	}

}
