package be.recordbroker.soap;

import org.apache.cxf.binding.soap.SoapFault;

import be.recordbroker.admission.Admission;

/**
 * The SOAP face's answer to a request refused by admission control (issue 13): a Server fault (the request was fine;
 * the broker is busy) whose string starts with the reason code, {@code OVERLOADED: }, says how long to wait, and names
 * the request's id. {@link SoapFaultSanitizer} lets it through as written: it is the broker's own text.
 */
public final class OverloadedFault extends SoapFault {

    public OverloadedFault(Admission.Overloaded overloaded, String requestId) {
        super(overloaded.reason() + ": " + overloaded.getMessage()
                + (requestId == null || requestId.isBlank() ? "" : "; request id " + requestId), FAULT_CODE_SERVER);
    }
}
