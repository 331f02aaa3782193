from django.urls import path

from citkit.core.views.audit import RecordHistoryView
from citkit.partnerships.hsds import views as hsds
from citkit.partnerships.models import Location, Mou, MouTemplate, Responsibility, Service
from citkit.partnerships.views import directory as d
from citkit.partnerships.views import mous as m

S = "directory/services/<int:pk>"
L = "directory/locations/<int:pk>"
M = "mous/<int:pk>"

urlpatterns = [
    path("", d.CrisisNowView.as_view(), name="crisis-now"),
    # The directory
    path("directory/", d.ServiceListView.as_view(), name="service-list"),
    path("directory/services/add/", d.ServiceCreateView.as_view(), name="service-add"),
    path(f"{S}/", d.ServiceDetailView.as_view(), name="service-detail"),
    path(f"{S}/edit/", d.ServiceEditView.as_view(), name="service-edit"),
    path(f"{S}/delete/", d.ServiceRemoveView.as_view(), name="service-delete"),
    path(f"{S}/history/", RecordHistoryView.as_view(model=Service), name="service-history"),
    path(
        f"{S}/capacity/<int:part_pk>/report/",
        d.CapacityReportView.as_view(),
        name="capacity-report",
    ),
    path(f"{S}/<slug:part>/add/", d.PartFormView.as_view(), name="service-part-add"),
    path(
        f"{S}/<slug:part>/<int:part_pk>/edit/", d.PartFormView.as_view(), name="service-part-edit"
    ),
    path(
        f"{S}/<slug:part>/<int:part_pk>/delete/",
        d.PartDeleteView.as_view(),
        name="service-part-delete",
    ),
    path("directory/hsds/export/", hsds.HsdsExportView.as_view(), name="hsds-export"),
    path("directory/hsds/import/", hsds.HsdsImportView.as_view(), name="hsds-import"),
    path("directory/locations/", d.LocationListView.as_view(), name="location-list"),
    path("directory/locations/add/", d.LocationCreateView.as_view(), name="location-add"),
    path(f"{L}/", d.LocationDetailView.as_view(), name="location-detail"),
    path(f"{L}/edit/", d.LocationEditView.as_view(), name="location-edit"),
    path(f"{L}/delete/", d.LocationDeleteView.as_view(), name="location-delete"),
    path(f"{L}/history/", RecordHistoryView.as_view(model=Location), name="location-history"),
    path(f"{L}/<slug:part>/add/", d.LocationPartFormView.as_view(), name="location-part-add"),
    path(
        f"{L}/<slug:part>/<int:part_pk>/edit/",
        d.LocationPartFormView.as_view(),
        name="location-part-edit",
    ),
    path(
        f"{L}/<slug:part>/<int:part_pk>/delete/",
        d.LocationPartDeleteView.as_view(),
        name="location-part-delete",
    ),
    # Crisis responsibilities
    path("responsibilities/", d.ResponsibilityListView.as_view(), name="responsibility-list"),
    path("responsibilities/add/", d.ResponsibilityCreateView.as_view(), name="responsibility-add"),
    path(
        "responsibilities/<int:pk>/",
        d.ResponsibilityDetailView.as_view(),
        name="responsibility-detail",
    ),
    path(
        "responsibilities/<int:pk>/edit/",
        d.ResponsibilityEditView.as_view(),
        name="responsibility-edit",
    ),
    path(
        "responsibilities/<int:pk>/delete/",
        d.ResponsibilityDeleteView.as_view(),
        name="responsibility-delete",
    ),
    path(
        "responsibilities/<int:pk>/history/",
        RecordHistoryView.as_view(model=Responsibility),
        name="responsibility-history",
    ),
    # MOUs
    path("mous/", m.MouListView.as_view(), name="mou-list"),
    path("mous/add/", m.MouCreateView.as_view(), name="mou-add"),
    path(f"{M}/", m.MouDetailView.as_view(), name="mou-detail"),
    path(f"{M}/edit/", m.MouEditView.as_view(), name="mou-edit"),
    path(f"{M}/delete/", m.MouDeleteView.as_view(), name="mou-delete"),
    path(f"{M}/history/", RecordHistoryView.as_view(model=Mou), name="mou-history"),
    path(f"{M}/compare/", m.VersionCompareView.as_view(), name="mou-compare"),
    path(f"{M}/document.<str:fmt>", m.MouDocumentView.as_view(), name="mou-document"),
    path(f"{M}/clauses/add/", m.ClauseFormView.as_view(), name="mou-clause-add"),
    path(f"{M}/clauses/<slug:key>/edit/", m.ClauseFormView.as_view(), name="mou-clause-edit"),
    path(f"{M}/clauses/<slug:key>/delete/", m.ClauseDeleteView.as_view(), name="mou-clause-delete"),
    path(
        f"{M}/clauses/<slug:key>/move/<str:direction>/",
        m.ClauseMoveView.as_view(),
        name="mou-clause-move",
    ),
    path(f"{M}/parties/add/", m.PartyFormView.as_view(), name="mou-party-add"),
    path(f"{M}/parties/<int:party_pk>/edit/", m.PartyFormView.as_view(), name="mou-party-edit"),
    path(
        f"{M}/parties/<int:party_pk>/delete/", m.PartyDeleteView.as_view(), name="mou-party-delete"
    ),
    path(
        f"{M}/parties/<int:party_pk>/responsibilities/add/",
        m.CommitmentAddView.as_view(),
        name="mou-commitment-add",
    ),
    path(
        f"{M}/parties/<int:party_pk>/responsibilities/<int:commitment_pk>/remove/",
        m.CommitmentDeleteView.as_view(),
        name="mou-commitment-remove",
    ),
    path(f"{M}/parties/<int:party_pk>/sign/", m.SignView.as_view(), name="mou-sign"),
    path(
        f"{M}/signatures/<int:signature_pk>/scan/",
        m.SignatureScanView.as_view(),
        name="mou-signature-scan",
    ),
    path(f"{M}/step/<slug:name>/", m.TransitionView.as_view(), name="mou-transition"),
    path(f"{M}/comments/", m.ReviewView.as_view(), name="mou-review"),
    path(f"{M}/renew/", m.RenewView.as_view(), name="mou-renew"),
    path(f"{M}/amend/", m.AmendView.as_view(), name="mou-amend"),
    # MOU templates
    path("mous/templates/", m.TemplateListView.as_view(), name="mou-template-list"),
    path(
        "mous/templates/starters/",
        m.StarterTemplatesView.as_view(),
        name="mou-template-starters",
    ),
    path("mous/templates/add/", m.TemplateCreateView.as_view(), name="mou-template-add"),
    path("mous/templates/<int:pk>/", m.TemplateDetailView.as_view(), name="mou-template-detail"),
    path("mous/templates/<int:pk>/edit/", m.TemplateEditView.as_view(), name="mou-template-edit"),
    path(
        "mous/templates/<int:pk>/delete/",
        m.TemplateDeleteView.as_view(),
        name="mou-template-delete",
    ),
    path(
        "mous/templates/<int:pk>/history/",
        RecordHistoryView.as_view(model=MouTemplate),
        name="mou-template-history",
    ),
    path(
        "mous/templates/<int:pk>/clauses/add/",
        m.TemplateClauseFormView.as_view(),
        name="mou-template-clause-add",
    ),
    path(
        "mous/templates/<int:pk>/clauses/<int:clause_pk>/edit/",
        m.TemplateClauseFormView.as_view(),
        name="mou-template-clause-edit",
    ),
    path(
        "mous/templates/<int:pk>/clauses/<int:clause_pk>/delete/",
        m.TemplateClauseDeleteView.as_view(),
        name="mou-template-clause-delete",
    ),
]
