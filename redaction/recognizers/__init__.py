"""UK and school recognizers, one idea per module, in the style of Presidio's own."""

from redaction.recognizers.bank_details import BankDetailsRecognizer
from redaction.recognizers.candidate_number import CandidateNumberRecognizer
from redaction.recognizers.date_of_birth import DateOfBirthRecognizer
from redaction.recognizers.email import EmailRecognizer
from redaction.recognizers.health import HealthRecognizer
from redaction.recognizers.national_insurance import NationalInsuranceRecognizer
from redaction.recognizers.nhs_number import NhsNumberRecognizer
from redaction.recognizers.phone import UkPhoneRecognizer
from redaction.recognizers.postcode import UkPostcodeRecognizer
from redaction.recognizers.reference_number import ReferenceNumberRecognizer
from redaction.recognizers.street_address import UkStreetAddressRecognizer
from redaction.recognizers.uln import UlnRecognizer
from redaction.recognizers.upn import UpnRecognizer

__all__ = [
    "BankDetailsRecognizer", "CandidateNumberRecognizer", "DateOfBirthRecognizer", "EmailRecognizer",
    "HealthRecognizer", "NationalInsuranceRecognizer", "NhsNumberRecognizer", "UkPhoneRecognizer",
    "ReferenceNumberRecognizer", "UkPostcodeRecognizer", "UkStreetAddressRecognizer", "UlnRecognizer",
    "UpnRecognizer",
]
