""" Contains all the data models used in inputs/outputs """

from .abuse_mark_in import AbuseMarkIn
from .abuse_mark_in_scope import AbuseMarkInScope
from .abuse_mark_lift_in import AbuseMarkLiftIn
from .abuse_mark_out import AbuseMarkOut
from .abuse_mark_out_scope import AbuseMarkOutScope
from .abusive_mark_in import AbusiveMarkIn
from .abusive_mark_out import AbusiveMarkOut
from .actor import Actor
from .agree_in import AgreeIn
from .amount_in import AmountIn
from .appeal import Appeal
from .appeal_decision_in import AppealDecisionIn
from .appeal_in import AppealIn
from .appeal_out import AppealOut
from .assign_in import AssignIn
from .attempt_out import AttemptOut
from .auto_rule_in import AutoRuleIn
from .auto_rule_in_action import AutoRuleInAction
from .auto_rule_in_order_stages_item import AutoRuleInOrderStagesItem
from .auto_rule_out import AutoRuleOut
from .auto_rule_patch_in import AutoRulePatchIn
from .auto_rule_patch_in_action_type_0 import AutoRulePatchInActionType0
from .auto_rule_patch_in_order_stages_type_0_item import AutoRulePatchInOrderStagesType0Item
from .balances_api_v1_ledger_balances_get_response_balances_api_v1_ledger_balances_get import BalancesApiV1LedgerBalancesGetResponseBalancesApiV1LedgerBalancesGet
from .body_add_file_evidence_api_v1_disputes_dispute_id_evidence_files_post import BodyAddFileEvidenceApiV1DisputesDisputeIdEvidenceFilesPost
from .bulk_agree_in import BulkAgreeIn
from .bulk_agree_out import BulkAgreeOut
from .bulk_result_out import BulkResultOut
from .buyer_in import BuyerIn
from .buyer_out import BuyerOut
from .buyer_signals_out import BuyerSignalsOut
from .buyer_signals_out_subject import BuyerSignalsOutSubject
from .by_phase_out import ByPhaseOut
from .case_data import CaseData
from .case_in import CaseIn
from .case_line_amount import CaseLineAmount
from .case_line_in import CaseLineIn
from .case_line_out import CaseLineOut
from .case_money_out import CaseMoneyOut
from .case_out import CaseOut
from .case_out_allowed_actions import CaseOutAllowedActions
from .case_out_proposal_type_0 import CaseOutProposalType0
from .case_out_replacement_shipment_type_0 import CaseOutReplacementShipmentType0
from .case_out_return_shipment_type_0 import CaseOutReturnShipmentType0
from .case_snapshot import CaseSnapshot
from .case_snapshot_proposal_type_0 import CaseSnapshotProposalType0
from .case_state import CaseState
from .case_summary import CaseSummary
from .case_triage_out import CaseTriageOut
from .case_type import CaseType
from .category_metrics_api_v1_categories_category_metrics_get_format import CategoryMetricsApiV1CategoriesCategoryMetricsGetFormat
from .category_metrics_out import CategoryMetricsOut
from .category_metrics_out_rated_phases_item import CategoryMetricsOutRatedPhasesItem
from .category_totals_out import CategoryTotalsOut
from .channel import Channel
from .clock_advance_in import ClockAdvanceIn
from .clock_out import ClockOut
from .compensation_data import CompensationData
from .compensation_out import CompensationOut
from .compensation_snapshot import CompensationSnapshot
from .complaint_data import ComplaintData
from .complaint_deadline_out import ComplaintDeadlineOut
from .complaint_decision_in import ComplaintDecisionIn
from .complaint_in import ComplaintIn
from .complaint_out import ComplaintOut
from .complaint_snapshot import ComplaintSnapshot
from .counts_out import CountsOut
from .deadline import Deadline
from .deadline_out import DeadlineOut
from .delivery_out import DeliveryOut
from .dispute_data import DisputeData
from .dispute_out import DisputeOut
from .dispute_out_burden_of_proof_item import DisputeOutBurdenOfProofItem
from .dispute_out_guidance import DisputeOutGuidance
from .dispute_signals_out import DisputeSignalsOut
from .dispute_signals_out_subject import DisputeSignalsOutSubject
from .dispute_snapshot import DisputeSnapshot
from .duty import Duty
from .endpoint_in import EndpointIn
from .endpoint_in_event_types_type_0_item import EndpointInEventTypesType0Item
from .endpoint_out import EndpointOut
from .endpoint_patch_in import EndpointPatchIn
from .endpoint_patch_in_event_types_type_0_item import EndpointPatchInEventTypesType0Item
from .endpoint_patch_in_status_type_0 import EndpointPatchInStatusType0
from .entry_out import EntryOut
from .entry_out_data import EntryOutData
from .envelope_case_data import EnvelopeCaseData
from .envelope_compensation_data import EnvelopeCompensationData
from .envelope_complaint_data import EnvelopeComplaintData
from .envelope_dispute_data import EnvelopeDisputeData
from .envelope_mark_data import EnvelopeMarkData
from .envelope_order_data import EnvelopeOrderData
from .envelope_payout_data import EnvelopePayoutData
from .envelope_penalty_data import EnvelopePenaltyData
from .envelope_rating_data import EnvelopeRatingData
from .envelope_reminder_data import EnvelopeReminderData
from .envelope_sanction_data import EnvelopeSanctionData
from .envelope_service_complaint_data import EnvelopeServiceComplaintData
from .error_body import ErrorBody
from .error_body_details import ErrorBodyDetails
from .error_out import ErrorOut
from .event_type_out import EventTypeOut
from .evidence_kind import EvidenceKind
from .evidence_out import EvidenceOut
from .evidence_ref import EvidenceRef
from .evidence_text_in import EvidenceTextIn
from .explain_out import ExplainOut
from .feed_page import FeedPage
from .feed_page_events_item import FeedPageEventsItem
from .fund_out import FundOut
from .health import Health
from .health_out import HealthOut
from .http_validation_error import HTTPValidationError
from .instant import Instant
from .ledger_leg_out import LedgerLegOut
from .ledger_transaction_out import LedgerTransactionOut
from .list_deliveries_api_v1_webhook_endpoints_endpoint_id_deliveries_get_status_type_0 import ListDeliveriesApiV1WebhookEndpointsEndpointIdDeliveriesGetStatusType0
from .login_in import LoginIn
from .login_out import LoginOut
from .mark import Mark
from .mark_data import MarkData
from .me_out import MeOut
from .metric_name import MetricName
from .metric_out import MetricOut
from .metric_out_better import MetricOutBetter
from .metric_out_unit import MetricOutUnit
from .metrics_out import MetricsOut
from .miss_out import MissOut
from .modify_in import ModifyIn
from .move import Move
from .move_data import MoveData
from .note_in import NoteIn
from .order_data import OrderData
from .order_data_because import OrderDataBecause
from .order_event_in import OrderEventIn
from .order_event_kind import OrderEventKind
from .order_event_out import OrderEventOut
from .order_event_out_data import OrderEventOutData
from .order_in import OrderIn
from .order_line_in import OrderLineIn
from .order_line_out import OrderLineOut
from .order_out import OrderOut
from .order_snapshot import OrderSnapshot
from .payout_data import PayoutData
from .payout_out import PayoutOut
from .payout_snapshot import PayoutSnapshot
from .penalty_appeal_decision_in import PenaltyAppealDecisionIn
from .penalty_appeal_in import PenaltyAppealIn
from .penalty_data import PenaltyData
from .penalty_out import PenaltyOut
from .penalty_snapshot import PenaltySnapshot
from .phase_out import PhaseOut
from .policy_out import PolicyOut
from .policy_rule_out import PolicyRuleOut
from .propose_in import ProposeIn
from .rating import Rating
from .rating_data import RatingData
from .rating_in import RatingIn
from .rating_out import RatingOut
from .rating_summary_out import RatingSummaryOut
from .rating_summary_out_distribution import RatingSummaryOutDistribution
from .reason import Reason
from .refuse_in import RefuseIn
from .reject_return_in import RejectReturnIn
from .reminder import Reminder
from .reminder_data import ReminderData
from .replacement import Replacement
from .replay_in import ReplayIn
from .replay_out import ReplayOut
from .return_parcel import ReturnParcel
from .rotate_in import RotateIn
from .rule_check_out import RuleCheckOut
from .ruling import Ruling
from .ruling_in import RulingIn
from .ruling_out import RulingOut
from .sanction_data import SanctionData
from .sanction_out import SanctionOut
from .sanction_snapshot import SanctionSnapshot
from .service_complaint_act_in import ServiceComplaintActIn
from .service_complaint_act_in_action import ServiceComplaintActInAction
from .service_complaint_act_in_category_type_0 import ServiceComplaintActInCategoryType0
from .service_complaint_data import ServiceComplaintData
from .service_complaint_detail_out import ServiceComplaintDetailOut
from .service_complaint_detail_out_allowed_actions import ServiceComplaintDetailOutAllowedActions
from .service_complaint_in import ServiceComplaintIn
from .service_complaint_in_category_type_0 import ServiceComplaintInCategoryType0
from .service_complaint_in_channel import ServiceComplaintInChannel
from .service_complaint_miss_out import ServiceComplaintMissOut
from .service_complaint_out import ServiceComplaintOut
from .service_complaint_out_allowed_actions import ServiceComplaintOutAllowedActions
from .service_complaint_snapshot import ServiceComplaintSnapshot
from .service_sanction_out import ServiceSanctionOut
from .share_evidence_api_v1_evidence_evidence_id_share_post_response_share_evidence_api_v1_evidence_evidence_id_share_post import ShareEvidenceApiV1EvidenceEvidenceIdSharePostResponseShareEvidenceApiV1EvidenceEvidenceIdSharePost
from .shipment_in import ShipmentIn
from .shop_complaint_stats_out import ShopComplaintStatsOut
from .shop_in import ShopIn
from .shop_in_kind import ShopInKind
from .shop_metrics_api_v1_shops_shop_id_metrics_get_format import ShopMetricsApiV1ShopsShopIdMetricsGetFormat
from .shop_metrics_out import ShopMetricsOut
from .shop_metrics_out_category_source_type_0 import ShopMetricsOutCategorySourceType0
from .shop_metrics_out_rated_phases_item import ShopMetricsOutRatedPhasesItem
from .shop_money_out import ShopMoneyOut
from .shop_record_out import ShopRecordOut
from .signal_code import SignalCode
from .signal_out import SignalOut
from .signal_out_figures import SignalOutFigures
from .signal_out_subject import SignalOutSubject
from .signal_out_thresholds import SignalOutThresholds
from .signals_out import SignalsOut
from .signals_out_subject import SignalsOutSubject
from .signed_in import SignedIn
from .step_stat_out import StepStatOut
from .subject_ref import SubjectRef
from .timeline_entry import TimelineEntry
from .timeline_entry_data import TimelineEntryData
from .triage_alternative_out import TriageAlternativeOut
from .triage_in import TriageIn
from .triage_out import TriageOut
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext
from .window_out import WindowOut

__all__ = (
    "AbuseMarkIn",
    "AbuseMarkInScope",
    "AbuseMarkLiftIn",
    "AbuseMarkOut",
    "AbuseMarkOutScope",
    "AbusiveMarkIn",
    "AbusiveMarkOut",
    "Actor",
    "AgreeIn",
    "AmountIn",
    "Appeal",
    "AppealDecisionIn",
    "AppealIn",
    "AppealOut",
    "AssignIn",
    "AttemptOut",
    "AutoRuleIn",
    "AutoRuleInAction",
    "AutoRuleInOrderStagesItem",
    "AutoRuleOut",
    "AutoRulePatchIn",
    "AutoRulePatchInActionType0",
    "AutoRulePatchInOrderStagesType0Item",
    "BalancesApiV1LedgerBalancesGetResponseBalancesApiV1LedgerBalancesGet",
    "BodyAddFileEvidenceApiV1DisputesDisputeIdEvidenceFilesPost",
    "BulkAgreeIn",
    "BulkAgreeOut",
    "BulkResultOut",
    "BuyerIn",
    "BuyerOut",
    "BuyerSignalsOut",
    "BuyerSignalsOutSubject",
    "ByPhaseOut",
    "CaseData",
    "CaseIn",
    "CaseLineAmount",
    "CaseLineIn",
    "CaseLineOut",
    "CaseMoneyOut",
    "CaseOut",
    "CaseOutAllowedActions",
    "CaseOutProposalType0",
    "CaseOutReplacementShipmentType0",
    "CaseOutReturnShipmentType0",
    "CaseSnapshot",
    "CaseSnapshotProposalType0",
    "CaseState",
    "CaseSummary",
    "CaseTriageOut",
    "CaseType",
    "CategoryMetricsApiV1CategoriesCategoryMetricsGetFormat",
    "CategoryMetricsOut",
    "CategoryMetricsOutRatedPhasesItem",
    "CategoryTotalsOut",
    "Channel",
    "ClockAdvanceIn",
    "ClockOut",
    "CompensationData",
    "CompensationOut",
    "CompensationSnapshot",
    "ComplaintData",
    "ComplaintDeadlineOut",
    "ComplaintDecisionIn",
    "ComplaintIn",
    "ComplaintOut",
    "ComplaintSnapshot",
    "CountsOut",
    "Deadline",
    "DeadlineOut",
    "DeliveryOut",
    "DisputeData",
    "DisputeOut",
    "DisputeOutBurdenOfProofItem",
    "DisputeOutGuidance",
    "DisputeSignalsOut",
    "DisputeSignalsOutSubject",
    "DisputeSnapshot",
    "Duty",
    "EndpointIn",
    "EndpointInEventTypesType0Item",
    "EndpointOut",
    "EndpointPatchIn",
    "EndpointPatchInEventTypesType0Item",
    "EndpointPatchInStatusType0",
    "EntryOut",
    "EntryOutData",
    "EnvelopeCaseData",
    "EnvelopeCompensationData",
    "EnvelopeComplaintData",
    "EnvelopeDisputeData",
    "EnvelopeMarkData",
    "EnvelopeOrderData",
    "EnvelopePayoutData",
    "EnvelopePenaltyData",
    "EnvelopeRatingData",
    "EnvelopeReminderData",
    "EnvelopeSanctionData",
    "EnvelopeServiceComplaintData",
    "ErrorBody",
    "ErrorBodyDetails",
    "ErrorOut",
    "EventTypeOut",
    "EvidenceKind",
    "EvidenceOut",
    "EvidenceRef",
    "EvidenceTextIn",
    "ExplainOut",
    "FeedPage",
    "FeedPageEventsItem",
    "FundOut",
    "Health",
    "HealthOut",
    "HTTPValidationError",
    "Instant",
    "LedgerLegOut",
    "LedgerTransactionOut",
    "ListDeliveriesApiV1WebhookEndpointsEndpointIdDeliveriesGetStatusType0",
    "LoginIn",
    "LoginOut",
    "Mark",
    "MarkData",
    "MeOut",
    "MetricName",
    "MetricOut",
    "MetricOutBetter",
    "MetricOutUnit",
    "MetricsOut",
    "MissOut",
    "ModifyIn",
    "Move",
    "MoveData",
    "NoteIn",
    "OrderData",
    "OrderDataBecause",
    "OrderEventIn",
    "OrderEventKind",
    "OrderEventOut",
    "OrderEventOutData",
    "OrderIn",
    "OrderLineIn",
    "OrderLineOut",
    "OrderOut",
    "OrderSnapshot",
    "PayoutData",
    "PayoutOut",
    "PayoutSnapshot",
    "PenaltyAppealDecisionIn",
    "PenaltyAppealIn",
    "PenaltyData",
    "PenaltyOut",
    "PenaltySnapshot",
    "PhaseOut",
    "PolicyOut",
    "PolicyRuleOut",
    "ProposeIn",
    "Rating",
    "RatingData",
    "RatingIn",
    "RatingOut",
    "RatingSummaryOut",
    "RatingSummaryOutDistribution",
    "Reason",
    "RefuseIn",
    "RejectReturnIn",
    "Reminder",
    "ReminderData",
    "Replacement",
    "ReplayIn",
    "ReplayOut",
    "ReturnParcel",
    "RotateIn",
    "RuleCheckOut",
    "Ruling",
    "RulingIn",
    "RulingOut",
    "SanctionData",
    "SanctionOut",
    "SanctionSnapshot",
    "ServiceComplaintActIn",
    "ServiceComplaintActInAction",
    "ServiceComplaintActInCategoryType0",
    "ServiceComplaintData",
    "ServiceComplaintDetailOut",
    "ServiceComplaintDetailOutAllowedActions",
    "ServiceComplaintIn",
    "ServiceComplaintInCategoryType0",
    "ServiceComplaintInChannel",
    "ServiceComplaintMissOut",
    "ServiceComplaintOut",
    "ServiceComplaintOutAllowedActions",
    "ServiceComplaintSnapshot",
    "ServiceSanctionOut",
    "ShareEvidenceApiV1EvidenceEvidenceIdSharePostResponseShareEvidenceApiV1EvidenceEvidenceIdSharePost",
    "ShipmentIn",
    "ShopComplaintStatsOut",
    "ShopIn",
    "ShopInKind",
    "ShopMetricsApiV1ShopsShopIdMetricsGetFormat",
    "ShopMetricsOut",
    "ShopMetricsOutCategorySourceType0",
    "ShopMetricsOutRatedPhasesItem",
    "ShopMoneyOut",
    "ShopRecordOut",
    "SignalCode",
    "SignalOut",
    "SignalOutFigures",
    "SignalOutSubject",
    "SignalOutThresholds",
    "SignalsOut",
    "SignalsOutSubject",
    "SignedIn",
    "StepStatOut",
    "SubjectRef",
    "TimelineEntry",
    "TimelineEntryData",
    "TriageAlternativeOut",
    "TriageIn",
    "TriageOut",
    "ValidationError",
    "ValidationErrorContext",
    "WindowOut",
)
