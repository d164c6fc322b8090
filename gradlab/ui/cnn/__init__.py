"""The CNN lab: the chapter's whole pipeline, from data to results, as a tab.

    from gradlab.ui.cnn.lab import CnnLabWidget

(Not imported here, so ``python -m gradlab.ui.cnn`` runs the lab alone without warnings.)
"""
