"""The CNN lab (issue 6): the chapter's whole pipeline, from data to results, as a tab.

    from gradlab.ui.cnn.lab import CnnLabWidget

(Not imported here, so ``python -m gradlab.ui.cnn`` and ``python -m gradlab.ui.cnn.lab`` run the
lab alone without warnings.)
"""
