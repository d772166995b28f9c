package nl.beeldzorg.media;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/** The histogram buckets of the connection-quality rollup and their medians. */
class MediaBucketsTests {

	@Test
	void aValueFallsInTheBucketWhoseUpperBoundHoldsIt() {
		assertThat(MediaBuckets.RTT.column(0)).isEqualTo("rtt_00");
		assertThat(MediaBuckets.RTT.column(10)).isEqualTo("rtt_00");
		assertThat(MediaBuckets.RTT.column(10.5)).isEqualTo("rtt_01");
		assertThat(MediaBuckets.RTT.column(5000)).isEqualTo("rtt_18");
		assertThat(MediaBuckets.LOSS.column(0)).isEqualTo("loss_00");
		assertThat(MediaBuckets.LOSS.column(0.01)).isEqualTo("loss_01");
		assertThat(MediaBuckets.TIME_TO_MEDIA.columns()).hasSize(22).startsWith("ttm_00").endsWith("ttm_21");
	}

	@Test
	void theMedianIsInterpolatedWithinItsBucket() {
		long[] counts = new long[MediaBuckets.RTT.columns().size()];
		assertThat(MediaBuckets.RTT.median(counts)).isNull();
		// Four samples in (30, 40], four in (40, 50]: the middle is the bound between.
		counts[3] = 4;
		counts[4] = 4;
		assertThat(MediaBuckets.RTT.median(counts)).isCloseTo(40.0, offset(0.001));
		counts[4] = 0;
		assertThat(MediaBuckets.RTT.median(counts)).isCloseTo(35.0, offset(0.001));
		long[] loss = new long[MediaBuckets.LOSS.columns().size()];
		loss[0] = 9;
		loss[5] = 1;
		assertThat(MediaBuckets.LOSS.median(loss)).isZero();
	}

}
