package nl.beeldzorg.glasses;

/** Where the tokens are kept between starts: the Android Keystore on the device. */
public interface TokenStore {

	/**
	 * The tokens kept.
	 * @return the tokens, or null when signed out
	 */
	Tokens load();

	void save(Tokens tokens);

	void clear();

	/** In memory only: for tests, and as the fallback where no keystore works. */
	final class InMemory implements TokenStore {

		private Tokens tokens;

		@Override
		public synchronized Tokens load() {
			return this.tokens;
		}

		@Override
		public synchronized void save(Tokens tokens) {
			this.tokens = tokens;
		}

		@Override
		public synchronized void clear() {
			this.tokens = null;
		}

	}

}
