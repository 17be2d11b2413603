package be.recordbroker.admission;

/** The broker's admission lanes (one bean): searches and retrievals each have their own places. */
public record Admissions(Admission search, Admission retrieve) {
}
