package nl.beeldzorg.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

/**
 * The Redis keys of one benchmark's nodes. Nodes keep seats until a node of the same
 * installation sweeps them; a benchmark's installation (its own key prefix) never starts
 * again, so what it left would stay in the shared Redis for ever and slow every later
 * sweep and test that scans it.
 */
final class RedisKeys {

	private RedisKeys() {
	}

	/**
	 * Deletes every key under the prefix.
	 * @param url the Redis URL
	 * @param prefix the installation's key prefix
	 * @return how many keys were deleted
	 */
	static long forget(String url, String prefix) {
		RedisClient client = RedisClient.create(url);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisCommands<String, String> redis = connection.sync();
			ScanArgs matching = ScanArgs.Builder.matches(prefix + "*").limit(1000);
			long deleted = 0;
			ScanCursor cursor = ScanCursor.INITIAL;
			do {
				KeyScanCursor<String> page = redis.scan(cursor, matching);
				if (!page.getKeys().isEmpty()) {
					deleted += redis.unlink(page.getKeys().toArray(String[]::new));
				}
				cursor = page;
			}
			while (!cursor.isFinished());
			return deleted;
		}
		finally {
			client.shutdown();
		}
	}

}
