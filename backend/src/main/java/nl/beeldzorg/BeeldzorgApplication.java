package nl.beeldzorg;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Beeldzorg: bedside video consults for elderly care, with the time they save measured.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BeeldzorgApplication {

	public static void main(String[] args) {
		SpringApplication.run(BeeldzorgApplication.class, args);
	}

}
