package be.recordbroker.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;

/** HAPI's R4 instance validator (core structure definitions and terminologies): no error, no fatal. */
final class FhirValidation {

    private static FhirValidator validator;

    private FhirValidation() {
    }

    static synchronized FhirValidator validator() {
        if (validator == null) {
            FhirContext fhir = FhirContext.forR4Cached();
            ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
                    new InMemoryTerminologyServerValidationSupport(fhir), new CommonCodeSystemsTerminologyService(fhir));
            FhirInstanceValidator module = new FhirInstanceValidator(support);
            // codes of the broker's and KMEHR's own systems cannot be looked up here: not an error in R4 for
            // example/preferred bindings, and the validator is told not to fetch anything
            module.setAnyExtensionsAllowed(true);
            module.setNoTerminologyChecks(false);
            validator = fhir.newValidator().registerValidatorModule(module);
        }
        return validator;
    }

    static void assertValid(IBaseResource resource) {
        ValidationResult result = validator().validateWithResult(resource);
        List<SingleValidationMessage> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
        assertThat(errors).as(() -> resource.fhirType() + " validates: " + errors.stream()
                .map(m -> m.getLocationString() + " " + m.getMessage()).toList()).isEmpty();
    }
}
