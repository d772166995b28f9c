package nl.beeldzorg.media;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * The histogram buckets of the connection-quality rollup ({@code media_cell}): a median
 * over a year of consults is read from a few bucket counts per day instead of every
 * consult. Bucket {@code i} holds values up to {@code bounds[i]} (and above the previous
 * bound); the last holds everything above. The median is interpolated within its bucket,
 * so it is exact to within that bucket's width (a few percent to 25 % of the value). The
 * bounds must match migration V11's rebuild statement.
 */
public enum MediaBuckets {

	/** Milliseconds from accept to the first {@code connected}, per connected consult. */
	TIME_TO_MEDIA("ttm",
			new double[] { 500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 7000, 8000, 10000, 12500, 15000, 20000,
					25000, 30000, 45000, 60000, 90000, 120000 }),

	/** Round-trip time in milliseconds, per stats sample. */
	RTT("rtt", new double[] { 10, 20, 30, 40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400, 500, 750, 1000, 2000 }),

	/** Inbound packet loss in percent, per stats sample. */
	LOSS("loss", new double[] { 0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 7.5, 10, 15, 20, 30, 50 });

	private final String prefix;

	private final double[] bounds;

	MediaBuckets(String prefix, double[] bounds) {
		this.prefix = prefix;
		this.bounds = bounds;
	}

	/**
	 * @param value a measured value
	 * @return the column of its bucket, e.g. {@code rtt_04}
	 */
	String column(double value) {
		int i = 0;
		while (i < this.bounds.length && value > this.bounds[i]) {
			i++;
		}
		return column(i);
	}

	/**
	 * @return every bucket column, in order
	 */
	public List<String> columns() {
		List<String> columns = new ArrayList<>(this.bounds.length + 1);
		for (int i = 0; i <= this.bounds.length; i++) {
			columns.add(column(i));
		}
		return columns;
	}

	private String column(int index) {
		return String.format(Locale.ROOT, "%s_%02d", this.prefix, index);
	}

	/**
	 * The median of a histogram, interpolated within the bucket that holds it.
	 * @param counts the count per bucket, as {@link #columns()}
	 * @return the median, or {@code null} without any value
	 */
	public @Nullable Double median(long[] counts) {
		long total = 0;
		for (long count : counts) {
			total += count;
		}
		if (total == 0) {
			return null;
		}
		double rank = total / 2.0;
		long before = 0;
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] > 0 && before + counts[i] >= rank) {
				double lower = (i == 0) ? 0 : this.bounds[i - 1];
				double upper = (i < this.bounds.length) ? this.bounds[i] : lower * 1.5;
				return lower + (upper - lower) * (rank - before) / counts[i];
			}
			before += counts[i];
		}
		return this.bounds[this.bounds.length - 1];
	}

}
